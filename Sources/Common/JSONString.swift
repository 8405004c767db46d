/// JSON string literals (RFC 8259) for the JSON facejob writes itself: the canonical text a manifest
/// is hashed over and the JSON report.
public enum JSONString {
    /// `s` quoted: the quote, the backslash and the control characters escaped (as `\"`, `\\`,
    /// `\n`, `\r`, `\t`, `\b`, `\f` where JSON has a short form, `\u00XX` otherwise); everything
    /// else verbatim.
    ///
    /// `lineSeparators` also escapes U+2028 and U+2029, which JSON allows raw but JavaScript source
    /// before ES2019 does not, so reports stay pasteable into a script. The canonical text a
    /// manifest hash is taken over must leave it off: a job's identity may never change.
    public static func quote(_ s: String, lineSeparators: Bool = false) -> String {
        var out = ""
        append(s, lineSeparators: lineSeparators, to: &out)
        return out
    }

    /// `quote(s)` appended to `out`.
    public static func append(_ s: String, lineSeparators: Bool = false, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (lineSeparators && (scalar.value == 0x2028 || scalar.value == 0x2029)) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
