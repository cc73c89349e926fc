/// An aligned plain-text table: columns separated by two spaces, a header underlined with dashes.
///
/// Widths are measured on the plain text, so colour escapes added after padding never shift a column.
struct TextTable {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment
    }

    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var style: ANSIStyle?

        init(_ text: String, style: ANSIStyle? = nil) {
            self.text = text
            self.style = style
        }

        init(stringLiteral value: String) { self.init(value) }
    }

    var columns: [Column]
    var rows: [[Cell]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a row needs one cell per column")
        rows.append(row)
    }

    /// The table, each line ending in a newline, without trailing spaces.
    func render(color: Bool) -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.text.count) }
        }
        var out = ""
        out += line(columns.map { Cell($0.title) }, widths: widths, color: false)
        out += line(widths.map { Cell(String(repeating: "-", count: $0)) }, widths: widths, color: false)
        for row in rows { out += line(row, widths: widths, color: color) }
        return out
    }

    private func line(_ cells: [Cell], widths: [Int], color: Bool) -> String {
        var parts: [String] = []
        for (i, cell) in cells.enumerated() {
            let gap = String(repeating: " ", count: widths[i] - cell.text.count)
            let styled = cell.style.map { $0.apply(cell.text, enabled: color) } ?? cell.text
            let isLast = i == cells.count - 1
            switch columns[i].alignment {
            case .left: parts.append(isLast ? styled : styled + gap)
            case .right: parts.append(gap + styled)
            }
        }
        var text = parts.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text + "\n"
    }
}
