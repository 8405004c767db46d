import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one JSON object per line (`--log-format json`):
///
///     {"timestamp":"2026-05-04T12:00:00.123Z","level":"info","label":"facejob.jobs","message":"input finished",
///      "metadata":{"input":0,"job_id":7,"status":"done","worker_id":"host:4242:0"}}
///
/// `timestamp` is UTC with milliseconds, `level` swift-log's level name, `metadata` the logger's
/// metadata merged with the metadata provider's and the call's (the call wins), keys sorted.
/// Integers, finite floating-point numbers and booleans given as `.stringConvertible` are JSON
/// numbers and booleans; everything else is a JSON string, escaped by `JSONString`; nested
/// dictionaries and arrays stay nested. A line is written in one piece under the standard error
/// stream's lock, so lines of concurrent threads never interleave.
public struct JSONLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// The least severe level written.
    public var logLevel: Logger.Level = .info
    /// Metadata of every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata merged into every line at the time it is written.
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    /// A handler for `label`; lines go to `write` (default: standard error) stamped with `now`.
    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
                write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.write = write
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error {
            merged["error.message"] = .string("\(error)")
            merged["error.type"] = .string(String(reflecting: type(of: error)))
        }
        write(Self.line(timestamp: now(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }

    /// The JSON line (with its newline) for one record.
    public static func line(timestamp: Date, level: Logger.Level, label: String, message: String,
                            metadata: Logger.Metadata) -> String {
        var out = "{\"timestamp\":\"" + iso8601(timestamp) + "\",\"level\":"
        JSONString.append(level.rawValue, to: &out)
        out += ",\"label\":"
        JSONString.append(label, to: &out)
        out += ",\"message\":"
        JSONString.append(message, to: &out)
        out += ",\"metadata\":"
        append(.dictionary(metadata), to: &out)
        out += "}\n"
        return out
    }

    /// `2026-05-04T12:00:00.123Z`: UTC, milliseconds (truncated, so a line never claims a later time).
    public static func iso8601(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let millis = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "." + pad(Int32(millis), 3) + "Z"
    }

    /// Writes `line` to standard error in one piece.
    public static let standardError: @Sendable (String) -> Void = { line in
        var text = line
        text.withUTF8 { bytes in
            flockfile(stderr)
            defer { funlockfile(stderr) }
            if let base = bytes.baseAddress, bytes.count > 0 { _ = fwrite(base, 1, bytes.count, stderr) }
            fflush(stderr)
        }
    }

    private static func append(_ value: Logger.MetadataValue, to out: inout String) {
        switch value {
        case .string(let s):
            JSONString.append(s, to: &out)
        case .stringConvertible(let c):
            out += literal(c) ?? JSONString.quote(c.description)
        case .array(let values):
            out += "["
            for (n, v) in values.enumerated() {
                if n > 0 { out += "," }
                append(v, to: &out)
            }
            out += "]"
        case .dictionary(let pairs):
            out += "{"
            for (n, key) in pairs.keys.sorted().enumerated() {
                if n > 0 { out += "," }
                JSONString.append(key, to: &out)
                out += ":"
                if let v = pairs[key] { append(v, to: &out) }
            }
            out += "}"
        }
    }

    /// A number or boolean as its JSON literal; nil for anything else (written as a string).
    private static func literal(_ value: any CustomStringConvertible & Sendable) -> String? {
        switch value {
        case let b as Bool: return b ? "true" : "false"
        case let i as any BinaryInteger: return i.description
        case let d as Double: return d.isFinite ? d.description : nil
        case let f as Float: return f.isFinite ? f.description : nil
        default: return nil
        }
    }
}
