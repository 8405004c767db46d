/// Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks): the inverse of the
/// CSV writers, used to check round trips and by tools that read reports back.
public enum CSVReader {
    /// Rows of fields; nil when a quoted field is not closed or a quote appears mid-field.
    public static func parse(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !fieldWasQuoted else { return nil }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                row.append(field); field = ""; fieldWasQuoted = false
            case "\r":
                if chars.first == "\n" { chars.removeFirst() }
                row.append(field); rows.append(row); row = []; field = ""; fieldWasQuoted = false
            case "\n":
                row.append(field); rows.append(row); row = []; field = ""; fieldWasQuoted = false
            default:
                guard !fieldWasQuoted else { return nil }
                field.unicodeScalars.append(c)
            }
        }
        guard !inQuotes else { return nil }
        if !field.isEmpty || fieldWasQuoted || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
