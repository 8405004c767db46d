import Common
import XCTest
@testable import Jobs

/// The motion gate on synthetic frames: where it searches, when it searches the whole frame, and
/// that a gate restored from its committed state decides exactly as the one that kept running.
final class MotionGateTests: XCTestCase {
    /// A 640x360 frame: a fixed texture, plus grey squares at the given places (x, y, side).
    private func frame(_ squares: [(Int, Int, Int)] = [], invert: Bool = false, noise: UInt64 = 1) -> RGBImage {
        var image = RGBImage(width: 640, height: 360)
        var state = noise
        for y in 0..<360 {
            for x in 0..<640 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Sensor noise of ±3 levels over a texture that does not move.
                var v = Int((x * 7 + y * 13) % 160 + 40) + Int(state >> 61) - 3
                if squares.contains(where: { x >= $0.0 && x < $0.0 + $0.2 && y >= $0.1 && y < $0.1 + $0.2 }) { v = 240 }
                if invert { v = 255 - v }
                let i = y * image.stride + 3 * x
                image.pixels[i] = UInt8(clamping: v)
                image.pixels[i + 1] = UInt8(clamping: v)
                image.pixels[i + 2] = UInt8(clamping: v)
            }
        }
        return image
    }

    private var settings: MotionGateSettings { MotionGateSettings(enabled: true, refreshSeconds: 2, margin: 0) }

    /// The cell means are the floats of the plain per-pixel loop (the gate's committed state
    /// depends on them), also where the frame ends inside a cell.
    func testCellMeansAreThoseOfThePlainLoop() {
        for (width, height) in [(1283, 721), (640, 360), (15, 3)] {
            var image = RGBImage(width: width, height: height)
            var state: UInt64 = 7
            for i in image.pixels.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                image.pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
            }
            let c = MotionGate.cell, columns = (width + c - 1) / c, rows = (height + c - 1) / c
            var sums = [Float](repeating: 0, count: columns * rows), counts = sums
            for y in stride(from: 0, to: height, by: 2) {
                for x in stride(from: 0, to: width, by: 2) {
                    let (r, g, b) = image.pixel(x: x, y: y)
                    sums[(y / c) * columns + x / c] += 0.299 * Float(r) + 0.587 * Float(g) + 0.114 * Float(b)
                    counts[(y / c) * columns + x / c] += 1
                }
            }
            let plain = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
            XCTAssertEqual(MotionGate.cellMeans(image, columns: columns, rows: rows).map(\.bitPattern),
                           plain.map(\.bitPattern), "\(width)x\(height)")
        }
    }

    func testStillFramesAreSkippedAndAMovingObjectIsSearchedWhereItIs() {
        var gate = MotionGate(settings: settings)
        XCTAssertEqual(gate.decide(frame(noise: 1), ptsMs: 0), .full, "the first frame is searched whole")
        XCTAssertEqual(gate.decide(frame(noise: 2), ptsMs: 200), .regions([]), "sensor noise is not a change")
        guard case .regions(let regions) = gate.decide(frame([(300, 100, 64)], noise: 3), ptsMs: 400) else {
            return XCTFail("a small change must not search the whole frame")
        }
        XCTAssertEqual(regions.count, 1)
        let r = regions[0]
        XCTAssertTrue(r.x <= 300 && r.y <= 100 && r.x + r.width >= 364 && r.y + r.height >= 164, "\(r) covers the square")
        XCTAssertTrue(r.width % MotionGate.quantum == 0 && r.height % MotionGate.quantum == 0, "\(r): sides are multiples of 128")
        XCTAssertLessThan(r.width * r.height, 640 * 360 / 2)
    }

    func testCutsRefreshesAndForcedFramesAreSearchedWhole() {
        var gate = MotionGate(settings: settings)
        _ = gate.decide(frame(), ptsMs: 0)
        XCTAssertEqual(gate.decide(frame(invert: true), ptsMs: 200), .full, "a cut changes most cells")
        XCTAssertEqual(gate.decide(frame(invert: true, noise: 5), ptsMs: 400), .regions([]))
        XCTAssertEqual(gate.decide(frame(invert: true, noise: 6), ptsMs: 2_300), .full, "refresh after 2 s")
        XCTAssertEqual(gate.decide(frame(invert: true, noise: 7), ptsMs: 2_500, forceFull: true), .full)
    }

    func testSeedsOfSeveralFramesCountEachFaceOnce() {
        let still = PixelBox(x: 400, y: 150, width: 60, height: 60)
        let moved = PixelBox(x: 404, y: 152, width: 60, height: 60)
        let other = PixelBox(x: 100, y: 100, width: 50, height: 50)
        XCTAssertEqual(MotionGate.distinct([still, other, moved]), [moved, other], "the newest box of each face")
    }

    func testARestoredGateDecidesAsTheOneThatKeptRunning() {
        var running = MotionGate(settings: settings)
        let frames = (0..<12).map { n in frame([(40 * n, 120, 48)], noise: UInt64(n + 1)) }
        var restored: MotionGate?
        for (n, image) in frames.enumerated() {
            let a = running.decide(image, ptsMs: Int64(n) * 200)
            if n == 5 { restored = MotionGate(settings: settings, restoring: running.state) }
            if n > 5, var other = restored {
                XCTAssertEqual(other.decide(image, ptsMs: Int64(n) * 200), a, "frame \(n)")
                XCTAssertEqual(other.state, running.state)
                restored = other
            }
        }
        XCTAssertNotNil(restored)
        var fresh = MotionGate(settings: settings, restoring: Data([1, 2, 3]))
        XCTAssertEqual(fresh.decide(frames[0], ptsMs: 0), .full, "bytes that are no state give a fresh gate")
    }

    /// Only the first frame of an input is searched whole: the next ones are gated and look for the
    /// first frame's faces again until faces `seedLag` back exist, then a sliding window of them.
    func testEarlyFramesAreSeededByTheFirstFrame() {
        XCTAssertNil(MotionGate.seedFrames(for: 0), "the first frame has no earlier faces")
        for ordinal in Int64(1)...Int64(MotionGate.seedLag) {
            XCTAssertEqual(MotionGate.seedFrames(for: ordinal), 0...0, "frame \(ordinal)")
        }
        XCTAssertEqual(MotionGate.seedFrames(for: 9), 0...1)
        let lag = Int64(MotionGate.seedLag), window = Int64(MotionGate.seedWindow)
        XCTAssertEqual(MotionGate.seedFrames(for: 100), (100 - lag - window + 1)...(100 - lag))
    }
}
