import Foundation

/// How every `--json` of the command line prints its document: pretty-printed, keys sorted,
/// slashes left as they are, one document on standard output. The shapes use snake_case keys,
/// numbers as numbers, `null` for an absent value and times as ISO 8601 in UTC (`time`).
enum JSONOutput {
    /// The document as text.
    static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints the document and a line break.
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try string(value))
    }

    /// A moment as ISO 8601 in UTC to the second (`2025-03-14T09:26:53Z`); nil stays nil (`null`).
    static func time(_ date: Date?) -> String? {
        date.map { ISO8601DateFormatter().string(from: $0) }
    }
}
