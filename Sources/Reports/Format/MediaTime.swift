/// Presentation times as analysts read them.
public enum MediaTime {
    /// `HH:MM:SS.mmm` (hours grow past 99 for very long recordings), truncated to the millisecond.
    public static func clock(microseconds: Int64) -> String {
        let negative = microseconds < 0
        let ms = microseconds.magnitude / 1000
        let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        return (negative ? "-" : "") + RFC3339.pad(Int(h), 2) + ":" + RFC3339.pad(Int(m), 2) + ":"
            + RFC3339.pad(Int(s), 2) + "." + RFC3339.pad(Int(f), 3)
    }

    /// Milliseconds with three decimals (`4004.000`), exact for microsecond timestamps.
    public static func milliseconds(microseconds: Int64) -> String {
        let negative = microseconds < 0
        let a = microseconds.magnitude
        return (negative ? "-" : "") + String(a / 1000) + "." + RFC3339.pad(Int(a % 1000), 3)
    }
}
