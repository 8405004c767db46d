import Common
import Foundation
import Logging
import XCTest

/// `--log-format json`'s handler: one valid JSON object per line whatever the text holds, with
/// the keys a log collector relies on.
final class JSONLogHandlerTests: XCTestCase {
    /// Lines written by a handler, in order.
    private final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    private func logger(level: Logger.Level = .info, provider: Logger.MetadataProvider? = nil,
                        now: @escaping @Sendable () -> Date = { Date() }) -> (Logger, Lines) {
        let lines = Lines()
        let logger = Logger(label: "facejob.test") { label in
            JSONLogHandler(label: label, level: level, metadataProvider: provider, write: { lines.append($0) }, now: now)
        }
        return (logger, lines)
    }

    private func object(_ line: String) throws -> [String: Any] {
        XCTAssertTrue(line.hasSuffix("\n"), "a line ends with its newline")
        XCTAssertEqual(line.dropLast().firstIndex(of: "\n"), nil, "one line per record: \(line.debugDescription)")
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try XCTUnwrap(parsed as? [String: Any], line)
    }

    func testQuotesNewlinesControlCharactersAndUnicodeSurviveAsValidJSON() throws {
        let (logger, lines) = logger()
        let nasty = "say \"hi\" \\ back\nslash\r\ttab \u{08}\u{0C} bell\u{07} nul\u{00} esc\u{1B} del\u{7F} é 日本 🙂 \u{2028}"
        logger.info("\(nasty)", metadata: ["file": .string("/footage/\"cam\"\n1.mp4"), nasty: .string(nasty)])
        let line = try XCTUnwrap(lines.all.first)
        let record = try object(line)
        XCTAssertEqual(record["message"] as? String, nasty)
        let metadata = try XCTUnwrap(record["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["file"] as? String, "/footage/\"cam\"\n1.mp4")
        XCTAssertEqual(metadata[nasty] as? String, nasty, "keys are escaped too")
        // The escapes JSON prescribes, and no raw control character anywhere in the line.
        for escape in [#"\""#, #"\\"#, #"\n"#, #"\r"#, #"\t"#, #"\b"#, #"\f"#, #"\u0007"#, #"\u0000"#, #"\u001b"#] {
            XCTAssertTrue(line.contains(escape), "\(escape) in \(line)")
        }
        XCTAssertFalse(line.dropLast().unicodeScalars.contains { $0.value < 0x20 }, line.debugDescription)
        XCTAssertTrue(line.contains("é 日本 🙂"), "non-ASCII text is written as UTF-8, not escaped")
    }

    func testRequiredKeysLevelLabelTimestampAndTypedMetadata() throws {
        // 2026-05-04T12:00:00.123456Z
        let (base, lines) = logger(now: { Date(timeIntervalSince1970: 1_777_896_000.123456) })
        var logger = base
        logger[metadataKey: "job_id"] = .stringConvertible(Int64(7))
        logger[metadataKey: "input"] = .stringConvertible(0)
        logger[metadataKey: "worker_id"] = "host:42:0"
        logger[metadataKey: "status"] = "running"
        logger.warning("input finished", metadata: [
            "status": "partial", "seconds": .stringConvertible(1.5), "done": .stringConvertible(false),
            "reports": .array(["a.csv", "b.json"]), "sizes": .dictionary(["w": .stringConvertible(1280)]),
            "nan": .stringConvertible(Double.nan),
        ])
        let record = try object(try XCTUnwrap(lines.all.first))
        XCTAssertEqual(Set(record.keys), ["timestamp", "level", "label", "message", "metadata"])
        XCTAssertEqual(record["timestamp"] as? String, "2026-05-04T12:00:00.123Z")
        XCTAssertEqual(record["level"] as? String, "warning")
        XCTAssertEqual(record["label"] as? String, "facejob.test")
        XCTAssertEqual(record["message"] as? String, "input finished")
        let metadata = try XCTUnwrap(record["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["job_id"] as? Int, 7, "integers are JSON numbers")
        XCTAssertEqual(metadata["input"] as? Int, 0)
        XCTAssertEqual(metadata["worker_id"] as? String, "host:42:0")
        XCTAssertEqual(metadata["status"] as? String, "partial", "the call's metadata wins over the logger's")
        XCTAssertEqual(metadata["seconds"] as? Double, 1.5)
        XCTAssertEqual(metadata["done"] as? Bool, false)
        XCTAssertEqual(metadata["reports"] as? [String], ["a.csv", "b.json"])
        XCTAssertEqual((metadata["sizes"] as? [String: Any])?["w"] as? Int, 1280)
        XCTAssertEqual(metadata["nan"] as? String, "nan", "a number JSON cannot hold is a string")
    }

    func testLevelsBelowTheHandlersAreDroppedAndTheProviderIsMerged() throws {
        let provider = Logger.MetadataProvider { ["trace_id": "abc"] }
        let (logger, lines) = logger(level: .notice, provider: provider)
        logger.info("hidden")
        logger.notice("shown")
        logger.error("also shown")
        XCTAssertEqual(try lines.all.map { try object($0)["message"] as? String }, ["shown", "also shown"])
        let metadata = try XCTUnwrap(try object(try XCTUnwrap(lines.all.first))["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["trace_id"] as? String, "abc")
    }

    func testTimestampsAreUTCWithMillisecondsTruncated() {
        XCTAssertEqual(JSONLogHandler.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(JSONLogHandler.iso8601(Date(timeIntervalSince1970: 951_782_399.9999)), "2000-02-28T23:59:59.999Z")
        XCTAssertEqual(JSONLogHandler.iso8601(Date(timeIntervalSince1970: 951_868_800.5)), "2000-03-01T00:00:00.500Z")
        XCTAssertEqual(JSONLogHandler.iso8601(Date(timeIntervalSince1970: -0.25)), "1969-12-31T23:59:59.750Z")
    }
}
