import Foundation

/// Parses the text form of a one-dimensional array, `{1,2,"a b",NULL}`, into its elements.
enum PostgresArrayText {
    static func elements(_ text: String, cell: PostgresCell) throws -> [String?] {
        var chars = Substring(text)
        // A non-default lower bound prefixes the value with `[2:3]=`.
        if chars.first == "[", let eq = chars.firstIndex(of: "=") { chars = chars[chars.index(after: eq)...] }
        guard chars.first == "{", chars.last == "}" else { throw cell.mismatch("\"\(text)\" is not an array") }
        chars = chars.dropFirst().dropLast()
        if chars.isEmpty { return [] }
        var out: [String?] = []
        var current = "", quoted = false, inQuotes = false, escaped = false
        for c in chars {
            if escaped { current.append(c); escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "\"": inQuotes.toggle(); quoted = true
            case "{" where !inQuotes: throw cell.mismatch("multi-dimensional arrays are not supported")
            case "," where !inQuotes:
                out.append(!quoted && current == "NULL" ? nil : current)
                current = ""; quoted = false
            default: current.append(c)
            }
        }
        out.append(!quoted && current == "NULL" ? nil : current)
        return out
    }
}

/// Parses `timestamptz` text in DateStyle ISO: `2026-11-29 11:25:18.123456+00`, offsets like `+05:30`.
enum PostgresTimestampText {
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= bytes.count else { return nil }
            var v = 0
            for k in 0..<digits {
                let c = bytes[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += digits
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < bytes.count, bytes[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect(" ") || expect("T"), let hour = number(2), expect(":"), let minute = number(2),
              expect(":"), let second = number(2) else { return nil }
        var fraction = 0.0
        if expect(".") {
            var scale = 0.1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                fraction += Double(bytes[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < bytes.count {
            let sign: Int
            if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
            guard let oh = number(2) else { return nil }
            var om = 0, os = 0
            if expect(":") { guard let m = number(2) else { return nil }; om = m }
            if expect(":") { guard let s = number(2) else { return nil }; os = s }
            offset = sign * (oh * 3600 + om * 60 + os)
        }
        guard i == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
