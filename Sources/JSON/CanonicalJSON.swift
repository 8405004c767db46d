import Common

/// The canonical text of a JSON value, in the spirit of RFC 8785 (JCS): no whitespace, object keys
/// sorted by UTF-16 code units, numbers in one spelling (`5`, `5.0` and `5e0` print alike), strings
/// with minimal escaping. Two manifests that differ only in layout have the same canonical text.
public enum CanonicalJSON {
    /// Canonical text of `value`.
    public static func text(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .object(let members):
            // Duplicates are rejected before hashing; keep the first for a total function anyway.
            var seen = Set<String>()
            let unique = members.filter { seen.insert($0.key).inserted }
            let sorted = unique.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            out += "{"
            for (n, m) in sorted.enumerated() {
                if n > 0 { out += "," }
                JSONString.append(m.key, to: &out)
                out += ":"
                write(m.value, into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .string(let s): JSONString.append(s, to: &out)
        case .number(let literal): out += number(literal)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// One spelling per numeric value: integers up to 2^53 without a fraction, others in Swift's
    /// shortest round-trip form.
    static func number(_ literal: String) -> String {
        if let i = Int64(literal) { return String(i) }
        guard let d = Double(literal), d.isFinite else { return literal }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        return "\(d)"
    }
}
