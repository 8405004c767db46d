import Foundation

/// One CSV field: RFC 4180 quoting, and neutralised against formula injection.
public enum CSVField {
    /// Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The field as written: a text that begins with `=`, `+`, `-`, `@`, tab or CR gets a leading
    /// `'` (the OWASP guidance: the spreadsheet then shows it as text and runs nothing), numbers
    /// such as `-12.5` stay numbers; then the value is quoted when it holds a comma, quote, CR or
    /// LF (or was neutralised), with inner quotes doubled.
    public static func escape(_ value: String) -> String {
        var text = value
        var quote = value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        if let first = value.first, formulaStarts.contains(first), !isPlainNumber(value) {
            text = "'" + value
            quote = true
        }
        guard quote else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A decimal number as facejob writes them (`-12.5`, `+3`, `1e-05`): digits with an optional
    /// sign, point and exponent, nothing else.
    static func isPlainNumber(_ value: String) -> Bool {
        var chars = Substring(value)
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        var digits = 0, seenPoint = false
        while let c = chars.first, c.isASCII, c.isNumber || (c == "." && !seenPoint) {
            if c == "." { seenPoint = true } else { digits += 1 }
            chars = chars.dropFirst()
        }
        guard digits > 0 else { return false }
        if chars.first == "e" || chars.first == "E" {
            chars = chars.dropFirst()
            if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
            guard let c = chars.first, c.isASCII, c.isNumber else { return false }
            while let c = chars.first, c.isASCII, c.isNumber { chars = chars.dropFirst() }
        }
        return chars.isEmpty
    }
}
