import Foundation

/// The wall-clock instant a recording started, parsed from an RFC 3339 timestamp with an explicit
/// UTC offset. Kept as integer nanoseconds so `start + pts` is exact (no floating point), and the
/// offset is kept so wall-clock times print in the camera's own local time.
public struct RecordingStart: Sendable, Hashable, Codable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public let epochNanoseconds: Int64
    /// Offset of the camera's local time from UTC, in seconds (east positive).
    public let utcOffsetSeconds: Int

    /// Creates a start from its parts.
    public init(epochNanoseconds: Int64, utcOffsetSeconds: Int) {
        self.epochNanoseconds = epochNanoseconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Parses `2026-11-29T03:00:00Z`, `2026-11-29T03:00:00.250+01:00` and the like; nil if the text
    /// is not RFC 3339 with an offset (a bare local time would make every wall-clock time ambiguous).
    public init?(rfc3339 text: String) {
        guard let parsed = RFC3339.parse(text) else { return nil }
        self = parsed
    }

    /// The same instant printed back as RFC 3339 with milliseconds.
    public var rfc3339: String { RFC3339.format(epochNanoseconds: epochNanoseconds, offsetSeconds: utcOffsetSeconds) }

    /// Wall-clock time of a frame at `ptsMicroseconds` into the recording, ISO 8601 with
    /// milliseconds (truncated, like the HH:MM:SS.mmm media time) in the recording's offset.
    public func wallClock(atMicroseconds ptsMicroseconds: Int64) -> String {
        let (product, overflow) = ptsMicroseconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflow2) = epochNanoseconds.addingReportingOverflow(product)
        if overflow || overflow2 { return "" }
        return RFC3339.format(epochNanoseconds: sum, offsetSeconds: utcOffsetSeconds)
    }

    /// Nanoseconds since the epoch of a frame at `ptsMicroseconds` into the recording.
    public func epochNanoseconds(atMicroseconds ptsMicroseconds: Int64) -> Int64 {
        epochNanoseconds &+ ptsMicroseconds &* 1000
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = RFC3339.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not RFC 3339 with offset: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(RFC3339.formatFull(epochNanoseconds: epochNanoseconds, offsetSeconds: utcOffsetSeconds))
    }
}
