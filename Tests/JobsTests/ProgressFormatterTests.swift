import XCTest
@testable import Jobs

final class ProgressFormatterTests: XCTestCase {
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
}
