/// Escaping for text placed into HTML, and safe relative links.
public enum HTMLText {
    /// Escapes `& < > " '` so any text is inert in element content and quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A link to a file inside the report folder: each segment percent-encoded (so `#`, `?`, `%`
    /// and spaces in file names stay part of the path), then HTML-escaped. Throws for absolute
    /// paths, `..` segments and empty segments, which could point outside the report folder.
    public static func relativeLink(_ path: String) throws -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"),
              segments.allSatisfy({ !$0.isEmpty && $0 != ".." && $0 != "." }) else {
            throw ReportError.unsafeRelativePath(path)
        }
        return escape(segments.map { percentEncode(String($0)) }.joined(separator: "/"))
    }

    private static func percentEncode(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            let unreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if unreserved {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
