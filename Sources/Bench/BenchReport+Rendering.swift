import Foundation

extension BenchReport {
    /// The report as a text table or as JSON (sorted keys).
    public func render(_ format: BenchFormat) -> String {
        switch format {
        case .text: return renderText()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
        }
    }

    private func renderText() -> String {
        let header = ["benchmark", "measured", "reference", "ratio", "target", "met?"]
        let table = rows.map { row -> [String] in
            let reference =
                row.reference.map { value in
                    BenchReport.format(value, row.unit) + (row.referenceLabel.map { " (\($0))" } ?? "")
                } ?? (row.referenceLabel ?? "—")
            return [
                row.name, BenchReport.format(row.measured, row.unit), reference,
                row.ratio.map { BenchReport.decimal($0, places: $0 < 10 ? 2 : 1) + "×" } ?? "—",
                row.target.isEmpty ? "—" : row.target, row.met.map { $0 ? "yes" : "NO" } ?? "—",
            ]
        }
        let widths = header.indices.map { column in
            ([header] + table).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingTrailingSpaces()
        }
        var out = "dnscascade bench\(quick ? " --quick" : ""): \(processors) CPUs, load average "
        out += "\(loadAverageStart.map { BenchReport.decimal($0, places: 2) } ?? "?") at start, "
        out += "\(loadAverageEnd.map { BenchReport.decimal($0, places: 2) } ?? "?") at end\n\n"
        out += line(header) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for cells in table { out += line(cells) + "\n" }
        let notes = rows.filter { !$0.note.isEmpty }
        if !notes.isEmpty {
            out += "\n"
            for row in notes { out += "- \(row.name): \(row.note)\n" }
        }
        if !scaling.isEmpty {
            out += "\nscaling (each point a fresh process; CPU = user + system):\n"
            out += "  clients     events    lookups   wall s    CPU s   peak RSS MB\n"
            for point in scaling {
                out +=
                    "  "
                    + [
                        String(point.clients).leftPadded(7), String(point.events).leftPadded(10),
                        String(point.lookups).leftPadded(10), BenchReport.decimal(point.wallSeconds, places: 2).leftPadded(8),
                        BenchReport.decimal(point.cpuSeconds, places: 2).leftPadded(8),
                        BenchReport.decimal(Double(point.maxResidentBytes) / 1e6, places: 1).leftPadded(13),
                    ].joined(separator: " ") + "\n"
            }
        }
        for problem in problems { out += "\nnot measured: \(problem)\n" }
        return out
    }

    /// A value in its unit, scaled for reading (`12.3 M events/s`, `5.74 s`, `48.2 MB`).
    static func format(_ value: Double, _ unit: String) -> String {
        switch unit {
        case "events/s", "lookups/s":
            if value >= 1e6 { return decimal(value / 1e6, places: 2) + " M " + unit }
            return decimal(value / 1e3, places: 1) + " k " + unit
        case "s": return decimal(value, places: value < 10 ? 2 : 1) + " s"
        case "bytes":
            if value >= 1e6 { return decimal(value / 1e6, places: 1) + " MB" }
            return decimal(value, places: 0) + " B"
        case "instances": return decimal(value, places: 0) + " instances"
        case "×": return decimal(value, places: value < 100 ? 2 : 0) + "×"
        default: return decimal(value, places: 2) + " " + unit
        }
    }

    /// A fixed-point decimal with thousands separators (`12,345.6`), the same on every machine.
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        var fraction = Int(scaled - Double(whole) * scale)
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        var text = (value < 0 && scaled > 0 ? "-" : "") + digits + grouped
        if places > 0 {
            var fractionText = ""
            for _ in 0..<places {
                fractionText = String(fraction % 10) + fractionText
                fraction /= 10
            }
            text += "." + fractionText
        }
        return text
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
