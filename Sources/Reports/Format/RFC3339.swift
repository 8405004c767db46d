/// RFC 3339 parsing and printing on integer nanoseconds, with proleptic Gregorian calendar
/// arithmetic (Howard Hinnant's days-from-civil), so no time zone database or locale is involved.
enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/`z` in lower case are accepted too.
    static func parse(_ text: String) -> RecordingStart? {
        let c = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= c.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard c[k] >= 48, c[k] <= 57 else { return nil }
                v = v * 10 + Int(c[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ chars: [UInt8]) -> Bool {
            guard i < c.count, chars.contains(c[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect([45]), let month = digits(2), expect([45]), let day = digits(2),
              expect([84, 116]), let hour = digits(2), expect([58]), let minute = digits(2), expect([58]),
              let second = digits(2) else { return nil }
        // Integer nanoseconds since 1970 cover 1678–2262; stay well inside that range.
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        var nanos = 0
        if i < c.count, c[i] == 46 {
            i += 1
            var count = 0
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int(c[i] - 48)
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        guard i < c.count else { return nil }
        var offset = 0
        if c[i] == 90 || c[i] == 122 {
            i += 1
        } else if c[i] == 43 || c[i] == 45 {
            let sign = c[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2), expect([58]), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let localSeconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let utcSeconds = localSeconds - Int64(offset)
        return RecordingStart(epochNanoseconds: utcSeconds * 1_000_000_000 + Int64(nanos),
                              utcOffsetSeconds: offset)
    }

    /// Prints with milliseconds (truncated toward the past) in the given offset; `Z` for UTC.
    static func format(epochNanoseconds: Int64, offsetSeconds: Int) -> String {
        let (seconds, nanos) = split(epochNanoseconds + Int64(offsetSeconds) * 1_000_000_000)
        return civil(seconds) + "." + pad(Int(nanos / 1_000_000), 3) + offsetText(offsetSeconds)
    }

    /// Prints with nanoseconds, trailing zeros dropped: the lossless form used in JSON round trips.
    static func formatFull(epochNanoseconds: Int64, offsetSeconds: Int) -> String {
        let (seconds, nanos) = split(epochNanoseconds + Int64(offsetSeconds) * 1_000_000_000)
        var fraction = ""
        if nanos != 0 {
            fraction = "." + pad(Int(nanos), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        return civil(seconds) + fraction + offsetText(offsetSeconds)
    }

    private static func split(_ nanoseconds: Int64) -> (Int64, Int64) {
        var seconds = nanoseconds / 1_000_000_000
        var nanos = nanoseconds % 1_000_000_000
        if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
        return (seconds, nanos)
    }

    private static func civil(_ localSeconds: Int64) -> String {
        var days = localSeconds / 86_400
        var rest = localSeconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        let h = Int(rest / 3600), mi = Int(rest % 3600 / 60), s = Int(rest % 60)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
    }

    private static func offsetText(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return sign + pad(a / 3600, 2) + ":" + pad(a % 3600 / 60, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
