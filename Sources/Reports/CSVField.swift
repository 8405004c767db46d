import Foundation

/// RFC 4180 quoting of one CSV field.
public enum CSVField {
    /// Quotes the value when it holds a comma, quote, CR or LF; doubles inner quotes.
    public static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
