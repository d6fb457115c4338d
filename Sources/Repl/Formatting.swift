import Foundation
import SimEngine

/// Human-readable numbers with units.
enum Formatting {
    static func seconds(_ time: SimTime) -> String { String(format: "%.3f s", time.seconds) }
    static func milliseconds(_ time: SimTime) -> String { String(format: "%.2f ms", time.milliseconds) }
    static func milliseconds(_ value: Double) -> String { String(format: "%.2f ms", value) }

    /// Rows as aligned columns; numbers (and the header above them) right-aligned.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        let numeric = header.indices.map { column in rows.allSatisfy { Double($0[column].split(separator: " ").first ?? "") != nil } && !rows.isEmpty }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let pad = String(repeating: " ", count: widths[column] - cells[column].count)
                return numeric[column] ? pad + cells[column] : cells[column] + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
