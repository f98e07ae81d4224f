import Foundation

/// Number formatting for the table: a few significant digits, no locale surprises.
enum Format {
    static func number(_ value: Double) -> String {
        switch abs(value) {
        case 0: "0"
        case ..<1: String(format: "%.3f", value)
        case ..<10: String(format: "%.2f", value)
        case ..<100: String(format: "%.1f", value)
        default: String(format: "%.0f", value)
        }
    }

    static func percent(_ ratio: Double) -> String { String(format: "%.0f%%", ratio * 100) }

    /// `text` left-aligned in `width` columns (or right-aligned with `right`).
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - text.count))
        return right ? gap + text : text + gap
    }
}
