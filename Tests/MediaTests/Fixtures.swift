import Foundation
import TestSupport
import XCTest

/// Test inputs: media generated on the fly with the ffmpeg CLI, and the shared real test data.
enum Fixtures {
    /// A fresh temporary folder, removed by the caller's `addTeardownBlock`.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("facejob-media-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Runs `ffmpeg -v error -y ARGS`; fails the test with ffmpeg's message when it fails.
    static func ffmpeg(_ args: [String]) throws {
        let result = try run("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y"] + args)
        guard result.status == 0 else {
            throw FixtureError(message: "ffmpeg \(args.joined(separator: " ")) failed: \(result.stderr)")
        }
    }

    /// Runs `ffprobe ARGS` and returns its standard output.
    static func ffprobe(_ args: [String]) throws -> String {
        let result = try run("ffprobe", ["-v", "error"] + args)
        guard result.status == 0 else { throw FixtureError(message: "ffprobe failed: \(result.stderr)") }
        return result.stdout
    }

    /// The shared real test data folder, or a loud skip when it is absent.
    static func testData(_ relative: String) throws -> String {
        let env = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        let root = env ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
        let path = root + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("!!! SKIPPED: real test data \(path) is missing (set FACEJOB_TEST_DATA)")
        }
        return path
    }

    private static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), [tool] + args)
        return (r.status, r.stdout, r.stderr)
    }
}

/// A fixture could not be generated.
struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
