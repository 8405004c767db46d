import Foundation

/// Fixed-point printing of floating-point values, so reports are byte-identical across runs.
public enum FixedDecimal {
    /// `value` with exactly `places` decimals, `.` as separator whatever the locale; empty for
    /// NaN and infinities (CSV) — JSON writers print `null` for those instead.
    public static func format(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "" }
        var text = String(format: "%.\(places)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text
    }
}
