import Foundation
import XCTest

/// Runs the built `facejob probe` the way a user would (needs the facejob product built next to the tests).
final class ProbeCommandTests: XCTestCase {
    private func facejob(_ args: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        // On Linux the bundle URL is the products folder itself; on macOS it is the .xctest inside it.
        let bundle = Bundle(for: ProbeCommandTests.self).bundleURL
        let candidates = [bundle.appendingPathComponent("facejob"),
                          bundle.deletingLastPathComponent().appendingPathComponent("facejob")]
        let binary = ProcessInfo.processInfo.environment["FACEJOB_BIN"].map { URL(fileURLWithPath: $0) }
            ?? candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("!!! SKIPPED: facejob binary not found at \(binary.path); run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    private func json(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testDecodeReportsSampledFramesAsJSON() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        let run = try facejob(["probe", path, "--decode", "--sample", "every:25", "--from", "1", "--to", "6", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try json(run.stdout)
        let decode = try XCTUnwrap(report["decode"] as? [String: Any])
        XCTAssertEqual(decode["frames_sampled"] as? Int, 6)
        let sampled = try XCTUnwrap(decode["sampled"] as? [[String: Any]])
        XCTAssertEqual(sampled.compactMap { $0["index"] as? Int }, [25, 50, 75, 100, 125, 150])
        XCTAssertEqual(sampled.compactMap { $0["pts_ms"] as? Int }, [1000, 2000, 3000, 4000, 5000, 6000])
        XCTAssertNotNil(decode["decode_seconds"] as? Double)
        let keyframes = try XCTUnwrap(report["keyframes"] as? [String: Any])
        XCTAssertEqual(keyframes["keyframes"] as? Int, 4)
        XCTAssertEqual(keyframes["max_interval"] as? Int, 50)
    }

    func testTextOutputAndExitCodes() throws {
        let text = try facejob(["probe", try VideoFixtures.shared.path("hevc.mp4")])
        XCTAssertEqual(text.status, 0, text.stderr)
        let out = String(decoding: text.stdout, as: UTF8.self)
        XCTAssertTrue(out.contains("video hevc 320x240"), out)
        XCTAssertTrue(out.contains("24.000 fps"), out)

        let damaged = try facejob(["probe", try VideoFixtures.shared.path("corrupt.mp4"), "--decode"])
        XCTAssertEqual(damaged.status, 2, "decoded with errors is partial")
        XCTAssertTrue(String(decoding: damaged.stdout, as: UTF8.self).contains("at byte"))

        let notes = try VideoFixtures.shared.path("notes.txt")
        let bad = try facejob(["probe", notes])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains(notes), bad.stderr)

        let usage = try facejob(["probe", try VideoFixtures.shared.path("cfr.mp4"), "--decode", "--sample", "every:0"])
        XCTAssertEqual(usage.status, 64, usage.stderr)
    }
}
