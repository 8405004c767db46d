import Common
import Foundation
import XCTest
@testable import Jobs
@testable import Media

/// CPU work runs on threads of its own, so it is parallel from its first item even when every
/// thread of Dispatch's pool is taken (on Linux the pool grows only when its monitor sees blocked
/// threads, and not at all while they compute).
final class CoreThreadsTests: XCTestCase {
    /// Occupies every thread Dispatch's default pool would run work on, computing (not blocked, so
    /// the pool does not add threads), until the returned closure is called.
    private func saturateDispatchPool() -> () -> Void {
        final class Flag: @unchecked Sendable {
            private let lock = NSLock()
            private var value = false
            var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
            func set() { lock.lock(); value = true; lock.unlock() }
        }
        let stop = Flag()
        let started = DispatchGroup()
        for _ in 0..<ProcessInfo.processInfo.activeProcessorCount {
            started.enter()
            DispatchQueue.global().async {
                started.leave()
                while !stop.isSet {}
            }
        }
        _ = started.wait(timeout: .now() + 5)
        return { stop.set() }
    }

    /// A meeting point for two parties: each `arrive` waits (up to `timeout`) for the other.
    private final class Rendezvous: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0
        func arrive(timeout: TimeInterval = 3) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            condition.broadcast()
            let deadline = Date().addingTimeInterval(timeout)
            while arrived < 2 { if !condition.wait(until: deadline) { return false } }
            return true
        }
    }

    func testMapKeepsOrderAndRunsEveryIndexOnce() {
        let counter = NSLock()
        var calls = [Int](repeating: 0, count: 1000)
        let squares = CoreThreads.map(1000, threads: 4) { i -> Int in
            counter.lock(); calls[i] += 1; counter.unlock()
            return i * i
        }
        XCTAssertEqual(squares, (0..<1000).map { $0 * $0 })
        XCTAssertEqual(Set(calls), [1])
        XCTAssertEqual(CoreThreads.map(0) { $0 }, [])
    }

    func testMapIsParallelWhileDispatchsPoolIsBusy() {
        let release = saturateDispatchPool()
        defer { release() }
        let meet = Rendezvous()
        let met = CoreThreads.map(2, threads: 2) { _ in meet.arrive() }
        XCTAssertEqual(met, [true, true], "both items were in flight at once")
    }

    /// Stands in for the face engine: each analysis waits for a second one to be in flight.
    private final class MeetingAnalyzer: FaceAnalyzing, @unchecked Sendable {
        let meet = Rendezvous()
        let lock = NSLock()
        var met: [Bool] = []
        func analyze(_ images: [RGBImage]) throws -> [[FrameFace]] {
            let together = meet.arrive()
            lock.lock(); met.append(together); lock.unlock()
            return images.map { _ in [] }
        }
    }

    func testTheLookaheadAnalysesFramesInParallelFromTheFirstWhileDispatchsPoolIsBusy() throws {
        let release = saturateDispatchPool()
        defer { release() }
        let analyzer = MeetingAnalyzer()
        let lookahead = FrameLookahead(analyzer: analyzer, limit: 4, threads: 2)
        func frame(_ i: Int64) -> VideoFrame {
            VideoFrame(index: i, ptsMs: i * 40, pts: i, timeBase: (1, 25), timestampIsExact: true, isKeyframe: i == 0,
                       isDamaged: false, image: RGBImage(width: 4, height: 4))
        }
        var out = try lookahead.push(frame(0))
        out += try lookahead.push(frame(1))
        out += try lookahead.drain()
        lookahead.cancel()
        XCTAssertEqual(out.map(\.frame.index), [0, 1], "frames come back in order")
        XCTAssertEqual(analyzer.met, [true, true], "the first two frames were analysed at the same time")
    }
}
