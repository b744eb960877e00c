/// Columns of text for the terminal, each as wide as its widest cell, two spaces apart.
struct TextTable {
    /// How a column's cells line up.
    enum Alignment { case left, right }

    var alignments: [Alignment]
    var rows: [[String]] = []

    init(_ alignments: [Alignment]) {
        self.alignments = alignments
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The rows as lines, without trailing spaces.
    var lines: [String] {
        var widths = Array(repeating: 0, count: alignments.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
                let isLast = column == row.count - 1
                if column > 0 { line += "  " }
                switch alignments[column] {
                case .left: line += cell + (isLast ? "" : padding)
                case .right: line += padding + cell
                }
            }
            return line
        }
    }
}
