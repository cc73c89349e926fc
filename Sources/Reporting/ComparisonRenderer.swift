public import WorldModel

/// Renders an ``OutcomeComparison`` — a baseline and what-if variants side by side — as text (differences from the
/// baseline marked with their sign and, in colour, highlighted), JSON or CSV. A pure function of its input.
///
/// ```swift
/// let text = ComparisonRenderer(format: .text).render(comparison, title: "us-east-1", variants: ["resolvers.*.serveStale=true"])
/// ```
public struct ComparisonRenderer: Sendable {
    public var format: ReportFormat
    public var color: Bool

    public init(format: ReportFormat = .text, color: Bool = false) {
        self.format = format
        self.color = color
    }

    /// `variants` describes each run after the baseline (its overrides), in order.
    public func render(_ comparison: OutcomeComparison, title: String, variants: [String]) -> String {
        switch format {
        case .text: return text(comparison, title: title, variants: variants)
        case .json, .ndjson:
            let document = JSONValue.object([
                ("schemaVersion", .int(1)),
                ("kind", .string("comparison")),
                ("scenario", .string(title)),
                ("runs", .array(comparison.runs.map(JSONValue.string))),
                ("variants", .array(variants.map(JSONValue.string))),
                (
                    "rows",
                    .array(
                        comparison.rows.map { row in
                            .object([
                                ("metric", .string(row.metric)), ("unit", .string(row.unit.rawValue)),
                                ("values", .array(row.values.map { $0.map(JSONValue.double) ?? .null })),
                                ("differs", .bool(row.differs)),
                            ])
                        })
                ),
            ])
            return document.serialized(pretty: format == .json) + "\n"
        case .csv:
            var out = (["metric", "unit"] + comparison.runs).map(CSVRenderer.field).joined(separator: ",") + "\n"
            for row in comparison.rows {
                let cells = [row.metric, row.unit.rawValue] + row.values.map { $0.map(Self.number) ?? "" }
                out += cells.map(CSVRenderer.field).joined(separator: ",") + "\n"
            }
            return out
        }
    }

    private func text(_ comparison: OutcomeComparison, title: String, variants: [String]) -> String {
        var out = "What if: \(title)\n"
        for (index, variant) in variants.enumerated() { out += "  \(comparison.runs[index + 1]): \(variant)\n" }
        out += "\n"
        var columns: [TextTable.Column] = [.init(title: "metric", alignment: .left), .init(title: "unit", alignment: .left)]
        columns += comparison.runs.map { .init(title: $0, alignment: .right) }
        var table = TextTable(columns)
        for row in comparison.rows {
            var cells: [TextTable.Cell] = [.init(row.metric), .init(row.unit.rawValue)]
            let baseline = row.values[0]
            cells.append(.init(baseline.map(Self.number) ?? "–"))
            for value in row.values.dropFirst() {
                guard let value else {
                    cells.append(.init("–"))
                    continue
                }
                guard let baseline, value != baseline else {
                    cells.append(.init(Self.number(value)))
                    continue
                }
                let delta = value - baseline
                cells.append(.init("\(Self.number(value)) (\(delta > 0 ? "+" : "")\(Self.number(delta)))", style: .yellow))
            }
            table.append(cells)
        }
        out += table.render(color: color)
        let changed = comparison.rows.filter(\.differs).count
        out += "\n\(changed) of \(comparison.rows.count) numbers differ from the baseline\n"
        return out
    }

    /// Whole numbers without decimals, others with one.
    static func number(_ value: Double) -> String {
        if value.isInfinite || value.isNaN { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return ReportFormatting.fixed(value, decimals: 1)
    }
}
