import Common

/// A JSON value whose object keys keep the order they were given in, printed with two-space
/// indentation: the JSON report is diffable and byte-identical for the same inputs.
public indirect enum OrderedJSON: Sendable, Equatable {
    /// An object; members print in this order.
    case object([(String, OrderedJSON)])
    /// An array.
    case array([OrderedJSON])
    /// A string (escaped when printed).
    case string(String)
    /// A number already formatted (fixed decimals or an integer).
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// A string, or null when absent.
    public static func optional(_ value: String?) -> OrderedJSON { value.map(OrderedJSON.string) ?? .null }
    /// An integer.
    public static func int<I: BinaryInteger>(_ value: I) -> OrderedJSON { .number(String(value)) }
    /// A fixed-decimal number, or null for NaN and infinities.
    public static func fixed(_ value: Double, places: Int) -> OrderedJSON {
        value.isFinite ? .number(FixedDecimal.format(value, places: places)) : .null
    }

    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.text() == rhs.text()
    }

    /// Pretty-printed text ending without a newline.
    public func text(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            let body = members.map { pad + Self.quote($0.0) + ": " + $0.1.text(indent: indent + 1) }
            return "{\n" + body.joined(separator: ",\n") + "\n" + close + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
        case .string(let s): return Self.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// RFC 8259 string literal: quote, backslash and control characters escaped, and U+2028/U+2029
    /// too so a report can be pasted into JavaScript.
    public static func quote(_ s: String) -> String { JSONString.quote(s, lineSeparators: true) }
}
