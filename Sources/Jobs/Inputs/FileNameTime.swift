import Foundation
import Reports

/// The recording start of each file of a glob, read from its file name: recorders and NVR exports
/// name files after the moment recording began (`cam3_20261128_220000.mp4`). The pattern spells
/// the timestamp with `%Y` (4 digits), `%m`, `%d`, `%H`, `%M`, `%S` (2 digits each), `%f` (1–9
/// digits of a second), `%%` (a percent sign) and literal characters, and is found anywhere in the
/// name (first place it fits). Names carry no time zone, so the UTC offset is given with the
/// pattern. The container's `creation_time` tag is deliberately not used: muxers and transcoders
/// rewrite it to the moment the file was written, which an analyst cannot tell from a recording start.
public struct FileNameTime: Sendable, Equatable, Codable {
    /// The timestamp pattern, e.g. `%Y%m%d_%H%M%S`.
    public let pattern: String
    /// `Z` or `±HH:MM`.
    public let utcOffset: String

    enum Token: Equatable {
        case literal(Character)
        case field(Character)
    }

    enum CodingKeys: String, CodingKey { case pattern, utcOffset = "utc_offset" }

    /// A checked pattern; throws a message when it lacks a field or the offset is not `Z`/`±HH:MM`.
    public init(pattern: String, utcOffset: String) throws {
        self.pattern = pattern
        self.utcOffset = utcOffset
        _ = try Self.compile(pattern)
        guard RecordingStart(rfc3339: "2000-01-01T00:00:00" + utcOffset) != nil else {
            throw FileNameTimeError(message: "`\(utcOffset)` is not a UTC offset; write Z or ±HH:MM like +01:00")
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(pattern: try c.decode(String.self, forKey: .pattern), utcOffset: try c.decode(String.self, forKey: .utcOffset))
        } catch let e as FileNameTimeError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: e.message))
        }
    }

    /// The recording start written in `fileName`, nil when the pattern is not in it or the date is impossible.
    public func start(fileName: String) -> RecordingStart? {
        guard let tokens = try? Self.compile(pattern) else { return nil }
        let name = Array(fileName)
        for first in name.indices {
            var fields: [Character: String] = [:]
            var i = first
            var matched = true
            for t in tokens {
                switch t {
                case .literal(let c):
                    guard i < name.count, name[i] == c else { matched = false; break }
                    i += 1
                case .field(let f):
                    let width = f == "Y" ? 4 : f == "f" ? 9 : 2
                    var digits = ""
                    while digits.count < width, i < name.count, name[i].isASCII, name[i].isNumber {
                        digits.append(name[i])
                        i += 1
                    }
                    guard f == "f" ? !digits.isEmpty : digits.count == width else { matched = false; break }
                    fields[f] = digits
                }
                if !matched { break }
            }
            guard matched else { continue }
            let fraction = fields["f"].map { "." + $0 } ?? ""
            let text = "\(fields["Y"] ?? "")-\(fields["m"] ?? "")-\(fields["d"] ?? "")T\(fields["H"] ?? "")"
                + ":\(fields["M"] ?? ""):\(fields["S"] ?? "00")\(fraction)\(utcOffset)"
            return RecordingStart(rfc3339: text)
        }
        return nil
    }

    /// Where the start came from, in words for the report.
    public var sourceDescription: String { "file name, pattern `\(pattern)`, UTC offset \(utcOffset)" }

    static func compile(_ pattern: String) throws -> [Token] {
        var tokens: [Token] = []
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { tokens.append(.literal(c)); continue }
            guard let f = chars.popFirst() else { throw FileNameTimeError(message: "the pattern ends with a lone `%`") }
            switch f {
            case "%": tokens.append(.literal("%"))
            case "Y", "m", "d", "H", "M", "S", "f":
                guard !tokens.contains(.field(f)) else { throw FileNameTimeError(message: "`%\(f)` appears twice") }
                tokens.append(.field(f))
            default:
                throw FileNameTimeError(message: "`%\(f)` is not a field; use %Y %m %d %H %M %S %f or %%")
            }
        }
        let missing = ["Y", "m", "d", "H", "M"].filter { !tokens.contains(.field(Character($0))) }
        guard missing.isEmpty else {
            throw FileNameTimeError(message: "the pattern lacks " + missing.map { "%" + $0 }.joined(separator: " ")
                                    + " (a recording start needs date, hour and minute)")
        }
        if tokens.contains(.field("f")), !tokens.contains(.field("S")) {
            throw FileNameTimeError(message: "`%f` (fraction of a second) needs `%S`")
        }
        return tokens
    }
}

/// Why a file-name timestamp pattern is not usable.
public struct FileNameTimeError: Error, Equatable, Sendable {
    /// What is wrong.
    public var message: String
}
