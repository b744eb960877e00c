// Human tables on stdout and CSV files in the output directory.
import Glibc

/// One table: printed aligned for people, written as CSV for plots.
struct Table {
    let columns: [String]
    var rows: [[String]] = []

    init(_ columns: [String]) { self.columns = columns }

    mutating func add(_ cells: [String]) {
        precondition(cells.count == columns.count, "row has \(cells.count) cells, table has \(columns.count) columns")
        rows.append(cells)
    }

    /// Prints the table with right-aligned columns.
    func print() {
        var widths = columns.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        Swift.print(line(columns))
        for row in rows { Swift.print(line(row)) }
    }

    /// Writes the table as CSV (no cell contains a comma or quote) to `directory/name`.
    func writeCSV(named name: String, in directory: String) {
        makeDirectories(directory)
        let path = directory + "/" + name
        guard let file = fopen(path, "w") else {
            Swift.print("corebench: cannot write \(path): errno \(errno)")
            return
        }
        defer { fclose(file) }
        fputs(columns.joined(separator: ",") + "\n", file)
        for row in rows { fputs(row.joined(separator: ",") + "\n", file) }
        Swift.print("wrote \(path)")
    }
}

/// `mkdir -p`.
func makeDirectories(_ path: String) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component + "/"
        _ = mkdir(prefix, 0o755)
    }
}

/// A number with `digits` decimals, as text.
func format(_ value: Double, _ digits: Int = 2) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    var fraction = String(Int(scaled - Double(whole) * scale))
    fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
    let sign = value < 0 && scaled > 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
}

/// A section heading.
func heading(_ text: String) {
    print("\n== \(text) ==")
}
