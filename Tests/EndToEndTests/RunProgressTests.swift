import Foundation
import XCTest

/// `facejob run`'s progress as a user sees it: live lines redrawn in place on a terminal (a real
/// pseudo-terminal through util-linux `script`), `key=value` lines when stderr is a pipe, nothing
/// with `--quiet`.
final class RunProgressTests: XCTestCase {
    func testLiveLinesOnATerminalStructuredLinesOtherwiseNothingWhenQuiet() throws {
        let f = try EndToEndFixture(self)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("!!! /usr/bin/script (util-linux) missing: terminal progress test SKIPPED")
        }
        try f.registerHamilton()
        let input = "{\"path\": \"\(f.clip.path)\"}"

        // On a 60-column terminal.
        let manifest = try f.manifest("tty", inputs: [input])
        let command = "stty cols 60 rows 24; exec '\(f.binary.url.path)' run '\(manifest.path)' --database '\(f.url)'"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let screen = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, screen)
        XCTAssertTrue(screen.contains("\u{1B}[K"), "lines are redrawn in place: \(screen.debugDescription)")
        let lines = screen.components(separatedBy: CharacterSet(charactersIn: "\r\n"))
            .map { $0.replacingOccurrences(of: #"\x{1B}\[[0-9;]*[A-Za-z]"#, with: "", options: .regularExpression) }
            .filter { !$0.isEmpty }
        let live = lines.filter { $0.hasPrefix("short_hamilton_clip.mp4  ") }
        XCTAssertFalse(live.isEmpty, "a live line for the input: \(lines)")
        for line in live + lines.filter({ $0.hasPrefix("overall  ") }) {
            XCTAssertLessThan(line.count, 60, "cut to the terminal's width: \(line)")
        }
        // The line's content, at full width, is checked in ProgressFormatterTests; here its start.
        XCTAssertTrue(live.contains { $0.range(of: #"^short_hamilton_clip\.mp4  [0-9]+\.[0-9]%  00:00:0[0-9]\.[0-9]{3}/00:00:[0-9]{2}\.[0-9]{3}"#,
                                               options: .regularExpression) != nil }, "\(live)")
        XCTAssertTrue(live.last?.hasPrefix("short_hamilton_clip.mp4  100.0%") ?? false, "\(live)")
        let overall = lines.filter { $0.hasPrefix("overall  ") }
        XCTAssertTrue(overall.contains { $0.hasPrefix("overall  0/1 inputs  ") }, "\(overall)")
        XCTAssertTrue(overall.last?.hasPrefix("overall  1/1 inputs  11 frames  ") ?? false, "\(overall)")
        XCTAssertFalse(screen.contains("input=\""), "no log lines on a terminal")
        XCTAssertTrue(lines.contains("job 1 \"tty\": done"), "\(lines)")

        // The full-width line on a wide terminal holds every figure.
        let wide = try f.manifest("wide", inputs: [input])
        let widely = Process()
        widely.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        widely.arguments = ["-qfec", "stty cols 200 rows 24; exec '\(f.binary.url.path)' run '\(wide.path)' --database '\(f.url)'",
                            "/dev/null"]
        widely.standardInput = FileHandle.nullDevice
        let wideOut = Pipe()
        widely.standardOutput = wideOut
        try widely.run()
        let wideScreen = String(decoding: wideOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        widely.waitUntilExit()
        XCTAssertEqual(widely.terminationStatus, 0, wideScreen)
        let full = #"short_hamilton_clip\.mp4  [0-9.]+%  [0-9:.]+/[0-9:.]+  [0-9]+ frames  [0-9]+ faces  [0-9]+ hits  [0-9.]+ frames/s  ETA [0-9-]{2}:[0-9-]{2}:[0-9-]{2}"#
        XCTAssertNotNil(wideScreen.range(of: full, options: .regularExpression), wideScreen.debugDescription)
        XCTAssertNotNil(wideScreen.range(of: #"overall  1/1 inputs  11 frames  [0-9]+ faces  [0-9]+ hits  [0-9.]+ frames/s  ETA "#,
                                         options: .regularExpression), wideScreen.debugDescription)

        // Not a terminal: one key=value line per input and event, nothing for a terminal.
        let piped = try f.binary.run(["run", try f.manifest("piped", inputs: [input]).path, "--database", f.url])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stderr.contains("\u{1B}"), "no terminal codes in a log")
        let logLines = piped.stderr.split(separator: "\n").map(String.init)
        XCTAssertFalse(logLines.isEmpty)
        let keyValue = #"^(input="[^"]+"|job)( [a-z_]+=("[^"]*"|[^ "]+))+$"#
        for line in logLines { XCTAssertNotNil(line.range(of: keyValue, options: .regularExpression), "structured: \(line)") }
        XCTAssertTrue(logLines.contains { $0.hasPrefix("input=\"short_hamilton_clip.mp4\" frames=11 ") && $0.hasSuffix(" status=done") },
                      "\(logLines)")
        XCTAssertEqual(logLines.last?.hasPrefix("job inputs_done=1 inputs=1 frames=11 "), true, "\(logLines)")

        // Quiet: no progress at all, only the report paths on stdout.
        let quiet = try f.binary.run(["run", try f.manifest("quiet", inputs: [input]).path, "--database", f.url, "--quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
        XCTAssertTrue(quiet.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("/") }, quiet.stdout)
    }
}
