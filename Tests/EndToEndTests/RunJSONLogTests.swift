import Foundation
import XCTest

/// `facejob run --log-format json`: standard error is a log stream a collector can read, one JSON
/// object per line with the keys it relies on, each input's records carrying the job id and the
/// input's ordinal; progress and the report listing stay out of it.
final class RunJSONLogTests: XCTestCase {
    /// Every line of `stderr` as a JSON object with the required keys (a failure names the line).
    private func records(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        XCTAssertTrue(stderr.hasSuffix("\n"), "the last record ends with its newline", file: file, line: line)
        XCTAssertFalse(lines.isEmpty, "the run logged something", file: file, line: line)
        return try lines.map { text in
            let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let record = try XCTUnwrap(parsed as? [String: Any], "not a JSON object: \(text)", file: file, line: line)
            XCTAssertEqual(Set(record.keys), ["timestamp", "level", "label", "message", "metadata"], text, file: file, line: line)
            let stamp = try XCTUnwrap(record["timestamp"] as? String, text, file: file, line: line)
            XCTAssertNotNil(stamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression),
                            "ISO 8601 UTC with milliseconds: \(stamp)", file: file, line: line)
            XCTAssertNotNil(["trace", "debug", "info", "notice", "warning", "error", "critical"]
                .first { $0 == record["level"] as? String }, text, file: file, line: line)
            XCTAssertNotNil(record["label"] as? String, text, file: file, line: line)
            XCTAssertNotNil(record["message"] as? String, text, file: file, line: line)
            XCTAssertNotNil(record["metadata"] as? [String: Any], text, file: file, line: line)
            return record
        }
    }

    private func metadata(_ record: [String: Any]) -> [String: Any] { record["metadata"] as? [String: Any] ?? [:] }

    func testEveryStderrLineOfARunIsAJSONRecordAndInputRecordsNameTheJobAndInput() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let broken = try f.noise("broken.mp4")
        let manifest = try f.manifest("json-log", inputs: ["{\"path\": \"\(f.clip.path)\"}", "{\"path\": \"\(broken.path)\"}"])
        let run = try f.binary.run(["run", manifest.path, "--database", f.url, "--log-format", "json"])
        XCTAssertEqual(run.status, 2, "one input is noise: partial. \(run.stderr)")
        let records = try records(run.stderr)
        XCTAssertFalse(run.stderr.contains("\u{1B}"), "no terminal codes")
        XCTAssertFalse(run.stderr.contains("input=\""), "no progress lines in the log stream")

        // The job's id as stdout reports it ("job N "json-log": partial"), and the report paths there only.
        let jobLine = try XCTUnwrap(run.stdout.split(separator: "\n").first { $0.hasPrefix("job ") }, run.stdout)
        let jobID = try XCTUnwrap(Int(jobLine.split(separator: " ")[1]), String(jobLine))
        XCTAssertTrue(run.stdout.contains("reports-json-log/hits.csv"), run.stdout)
        XCTAssertFalse(run.stderr.contains("reports-json-log/hits.csv\n"), "report paths go to stdout")

        let started = try XCTUnwrap(records.first { $0["message"] as? String == "job started" }, run.stderr)
        XCTAssertEqual(metadata(started)["job_id"] as? Int, jobID)
        XCTAssertEqual(metadata(started)["inputs"] as? Int, 2)

        // Each input: claimed and finished, with the job id, its ordinal and the worker that held it.
        let perInput = records.filter { metadata($0)["input"] != nil }
        XCTAssertFalse(perInput.isEmpty, run.stderr)
        for record in perInput {
            XCTAssertEqual(metadata(record)["job_id"] as? Int, jobID, "\(record)")
            XCTAssertNotNil(metadata(record)["input"] as? Int, "the ordinal is a number: \(record)")
        }
        func finished(_ ordinal: Int) throws -> [String: Any] {
            try XCTUnwrap(perInput.first { $0["message"] as? String == "input finished" && metadata($0)["input"] as? Int == ordinal },
                          "input \(ordinal) finished: \(run.stderr)")
        }
        let clip = try finished(0), noise = try finished(1)
        XCTAssertEqual(clip["level"] as? String, "info")
        XCTAssertEqual(metadata(clip)["status"] as? String, "done")
        XCTAssertEqual(metadata(clip)["frames"] as? Int, 11, "the clip's 275 frames, every 25th")
        XCTAssertEqual(metadata(clip)["file"] as? String, f.clip.path)
        XCTAssertNotNil((metadata(clip)["worker_id"] as? String)?.range(of: #":\d+:\d+$"#, options: .regularExpression),
                        "worker_id is host:pid:thread: \(clip)")
        XCTAssertEqual(noise["level"] as? String, "warning")
        XCTAssertEqual(metadata(noise)["status"] as? String, "failed")
        XCTAssertFalse((metadata(noise)["error"] as? String ?? "").isEmpty, "\(noise)")
        XCTAssertTrue(perInput.contains { $0["message"] as? String == "input claimed" && metadata($0)["input"] as? Int == 1 })
        // The closing per-input error line of `run` is a record too.
        XCTAssertTrue(records.contains { metadata($0)["file"] as? String == broken.path && $0["label"] as? String == "facejob" },
                      run.stderr)
        let end = try XCTUnwrap(records.first { $0["message"] as? String == "job finished" }, run.stderr)
        XCTAssertEqual(metadata(end)["status"] as? String, "partial")
        XCTAssertEqual(end["level"] as? String, "warning")
    }

    func testTheEnvironmentChoosesFormatAndLevelAndAFlagWins() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let input = "{\"path\": \"\(f.clip.path)\"}"
        let json = ["FACEJOB_LOG_FORMAT": "json", "FACEJOB_LOG_LEVEL": "debug"]

        let debug = try f.binary.run(["run", try f.manifest("env", inputs: [input]).path, "--database", f.url], environment: json)
        XCTAssertEqual(debug.status, 0, debug.stderr)
        let batches = try records(debug.stderr).filter { $0["message"] as? String == "batch committed" }
        XCTAssertFalse(batches.isEmpty, "debug records at FACEJOB_LOG_LEVEL=debug: \(debug.stderr)")
        XCTAssertEqual(batches.reduce(0) { $0 + (metadata($1)["frames"] as? Int ?? 0) }, 11, "every sampled frame in exactly one batch record")

        // --log-level beats the variable: warnings only, and a clean run has none.
        let quietLog = try f.binary.run(["run", try f.manifest("env-level", inputs: [input]).path, "--database", f.url,
                                         "--log-level", "warning"], environment: json)
        XCTAssertEqual(quietLog.status, 0, quietLog.stderr)
        XCTAssertEqual(quietLog.stderr, "")

        // --log-format text beats the variable: today's key=value progress lines, not JSON.
        let text = try f.binary.run(["run", try f.manifest("env-text", inputs: [input]).path, "--database", f.url,
                                     "--log-format", "text"], environment: ["FACEJOB_LOG_FORMAT": "json"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("input=\"") || $0.hasPrefix("job ") }, text.stderr)

        let bad = try f.binary.run(["run", try f.manifest("env-bad", inputs: [input]).path, "--database", f.url],
                                   environment: ["FACEJOB_LOG_LEVEL": "loud"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("FACEJOB_LOG_LEVEL=loud is not a log level"), bad.stderr)
    }
}
