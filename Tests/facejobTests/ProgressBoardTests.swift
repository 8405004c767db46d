import Foundation
import Jobs
import XCTest
@testable import facejob

final class ProgressBoardTests: XCTestCase {
    private let halfway = InputProgress(name: "cam \"1\".mp4", frames: 1234, faces: 56, hits: 3, reachedMicroseconds: 252_000_000,
                                        totalMicroseconds: 600_000_000, elapsedSeconds: 68)

    func testTerminalLine() {
        // 252 s of media in 68 s; 348 s of media left → 348 × 68 / 252 = 93.9 s.
        XCTAssertEqual(ProgressFormatter.line(halfway),
                       "cam \"1\".mp4  42.0%  00:04:12.000/00:10:00.000  1234 frames  56 faces  3 hits  18.1 frames/s  ETA 00:01:34")
    }

    func testLogLine() {
        XCTAssertEqual(ProgressFormatter.logLine(halfway),
                       "input=\"cam \\\"1\\\".mp4\" frames=1234 faces=56 hits=3 reached_ms=252000.000 total_ms=600000.000 fps=18.1 eta_s=94")
    }

    func testResumedInputMeasuresPaceFromItsCheckpoint() {
        var p = halfway
        p.resumedFromMicroseconds = 200_000_000
        // Only 52 s of media in 68 s this run: 348 × 68 / 52 = 455.08 s.
        XCTAssertEqual(p.etaSeconds ?? 0, 455.0769, accuracy: 1e-3)
    }

    func testUnknownTotalsAndNoPaceYet() {
        let p = InputProgress(name: "x", frames: 0, faces: 0, hits: 0, reachedMicroseconds: 0, totalMicroseconds: nil, elapsedSeconds: 0)
        XCTAssertNil(p.fraction)
        XCTAssertNil(p.etaSeconds)
        XCTAssertEqual(ProgressFormatter.line(p), "x  00:00:00.000  0 frames  0 faces  0 hits  0.0 frames/s  ETA --:--:--")
        XCTAssertEqual(ProgressFormatter.overall([halfway, p], finished: 1, total: 3),
                       "overall  1/3 inputs  1234 frames  56 faces  3 hits  ETA 00:01:34")
    }

    func testAResumedInputsSpeedCountsOnlyThisRunsFrames() {
        var p = halfway
        p.resumedFrames = 1000
        // 234 frames in 68 s.
        XCTAssertEqual(p.framesPerSecond, 234.0 / 68, accuracy: 1e-9)
        XCTAssertTrue(ProgressFormatter.line(p).contains("  3.4 frames/s  "), ProgressFormatter.line(p))
    }

    func testOverallLineWithSpeedAndOverallLogLine() {
        XCTAssertEqual(ProgressFormatter.overall([halfway], finished: 0, total: 2, elapsedSeconds: 10),
                       "overall  0/2 inputs  1234 frames  56 faces  3 hits  123.4 frames/s  ETA 00:01:34")
        XCTAssertEqual(ProgressFormatter.overall([halfway], finished: 1, total: 0),
                       "overall  1 inputs done  1234 frames  56 faces  3 hits  ETA 00:01:34")
        XCTAssertEqual(ProgressFormatter.overallLogLine([halfway, halfway], finished: 1, total: 2),
                       "job inputs_done=1 inputs=2 frames=2468 faces=112 hits=6")
    }

    func testTerminalBoardCutsLinesToTheTerminalWidthAndLogBoardWritesKeyValueLines() {
        let out = Output()
        let board = ProgressBoard(mode: .terminal, total: 1, write: out.append, columns: { 40 })
        board.update(halfway)
        board.finish(halfway.name, status: "done", error: nil)
        let lines = out.text.replacingOccurrences(of: "\u{1B}[K", with: "").split(separator: "\n").map {
            String($0).replacingOccurrences(of: #"\x{1B}\[[0-9]*[AJ]"#, with: "", options: .regularExpression)
        }
        XCTAssertFalse(lines.isEmpty)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 39, line) }
        XCTAssertEqual(lines.last, String("overall  1/1 inputs  1234 frames  56 faces  3 hits".prefix(39)))

        let log = Output()
        let logBoard = ProgressBoard(mode: .log, total: 1, write: log.append, columns: { 40 })
        logBoard.update(halfway)
        logBoard.finish(halfway.name, status: "done", error: nil)
        var ended = halfway
        ended.reachedMicroseconds = 600_000_000
        XCTAssertEqual(log.text.split(separator: "\n").map(String.init), [
            ProgressFormatter.logLine(halfway), ProgressFormatter.logLine(ended) + " status=done",
            "job inputs_done=1 inputs=1 frames=1234 faces=56 hits=3",
        ])
    }
}

/// Collects what a board writes.
private final class Output: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []
    func append(_ s: String) { lock.lock(); chunks.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return chunks.joined() }
}
