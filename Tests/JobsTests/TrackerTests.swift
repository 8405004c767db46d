import Common
import XCTest
@testable import Jobs

/// Deterministic unit-length embeddings: one base vector per person, small per-frame noise.
private struct Embeddings {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
    }

    mutating func vector() -> [Float] { normalised((0..<128).map { _ in next() }) }

    mutating func jitter(_ base: [Float], amount: Float) -> [Float] {
        normalised(base.map { $0 + amount * next() / 11 })
    }

    func normalised(_ v: [Float]) -> [Float] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }
}

final class TrackerTests: XCTestCase {
    private var rng = Embeddings(seed: 42)
    private lazy var alice = rng.vector()
    private lazy var bob = rng.vector()

    private func face(_ index: Int, x: Double, _ person: [Float]) -> FaceObservation {
        FaceObservation(detectionIndex: index, box: PixelBox(x: x, y: 100, width: 80, height: 80),
                        embedding: rng.jitter(person, amount: 0.2))
    }

    private func frame(_ ordinal: Int64, _ faces: [FaceObservation]) -> SampledFrame {
        SampledFrame(sampleOrdinal: ordinal, frameIndex: ordinal * 5, ptsMicroseconds: ordinal * 166_833, faces: faces)
    }

    private func trackOf(_ assignments: [TrackAssignment], _ detection: Int) -> Int64? {
        assignments.first { $0.detectionIndex == detection }?.trackID
    }

    func testEmbeddingsOfOnePersonAreCloseAndOfTwoPeopleFar() {
        let a1 = rng.jitter(alice, amount: 0.2), a2 = rng.jitter(alice, amount: 0.2)
        XCTAssertLessThan(FaceTracker.distance(a1, a2), 0.3)
        XCTAssertGreaterThan(FaceTracker.distance(alice, bob), 1.0)
    }

    func testTwoPeopleCrossingKeepTheirTracks() {
        // Alice walks right, Bob walks left a little slower; around frames 5–6 their boxes overlap
        // so that box overlap alone would swap them (Bob's new box sits exactly on Alice's last
        // one). The detector lists them in box order, which flips as they pass each other.
        var tracker = FaceTracker(settings: TrackingSettings(iou: 0.1, maxGapFrames: 2, maxDistance: 0.5))
        var aliceTracks = Set<Int64>(), bobTracks = Set<Int64>()
        for t in Int64(0)...10 {
            let ax = 100 + Double(t) * 30, bx = 400 - Double(t) * 25
            let a = face(0, x: ax, alice), b = face(1, x: bx, bob)
            let faces = ax <= bx ? [a, b] : [FaceObservation(detectionIndex: 0, box: b.box, embedding: b.embedding),
                                             FaceObservation(detectionIndex: 1, box: a.box, embedding: a.embedding)]
            let out = tracker.update(frame(t, faces))
            XCTAssertEqual(out.count, 2)
            aliceTracks.insert(trackOf(out, ax <= bx ? 0 : 1) ?? -1)
            bobTracks.insert(trackOf(out, ax <= bx ? 1 : 0) ?? -1)
        }
        XCTAssertEqual(aliceTracks, [1])
        XCTAssertEqual(bobTracks, [2])
    }

    func testAGapWithinTheLimitContinuesTheTrackAndALongerOneStartsANewOne() {
        var tracker = FaceTracker(settings: TrackingSettings(iou: 0.3, maxGapFrames: 3, maxDistance: 0.5))
        for t in Int64(0)...3 { XCTAssertEqual(tracker.update(frame(t, [face(0, x: 100, alice)])).first?.trackID, 1) }
        // Unseen in sampled frames 4, 5, 6 (a gap of 3): frame 7 continues track 1.
        XCTAssertEqual(tracker.update(frame(7, [face(0, x: 104, alice)])).first?.trackID, 1)
        // Unseen in 8…11 (a gap of 4): frame 12 starts track 2.
        XCTAssertEqual(tracker.update(frame(12, [face(0, x: 104, alice)])).first?.trackID, 2)
        XCTAssertEqual(tracker.state.tracks.map(\.id), [2])
    }

    func testADifferentPersonInTheSameSpotStartsANewTrack() {
        var tracker = FaceTracker(settings: TrackingSettings())
        XCTAssertEqual(tracker.update(frame(0, [face(0, x: 100, alice)])).first?.trackID, 1)
        XCTAssertEqual(tracker.update(frame(1, [face(0, x: 100, bob)])).first?.trackID, 2)
    }

    func testFaceOrderDoesNotChangeAssignments() {
        let frames: [[FaceObservation]] = (0..<6).map { t in
            [face(0, x: 100 + Double(t) * 5, alice), face(1, x: 300, bob), face(2, x: 500 - Double(t) * 5, rng.vector())]
        }
        var forward = FaceTracker(settings: TrackingSettings())
        var reversed = FaceTracker(settings: TrackingSettings())
        for (t, faces) in frames.enumerated() {
            XCTAssertEqual(forward.update(frame(Int64(t), faces)), reversed.update(frame(Int64(t), faces.reversed())))
        }
        XCTAssertEqual(forward.state, reversed.state)
    }

    func testRebuiltStateContinuesExactlyLikeAnUninterruptedRun() {
        let settings = TrackingSettings(iou: 0.2, maxGapFrames: 2, maxDistance: 0.5)
        let carol = rng.vector()
        var frames: [SampledFrame] = []
        for t in Int64(0)..<30 {
            var faces: [FaceObservation] = []
            if t % 7 != 3 { faces.append(face(faces.count, x: 50 + Double(t) * 4, alice)) }
            if t >= 5, t < 20 { faces.append(face(faces.count, x: 300, bob)) }
            if t % 9 < 4 { faces.append(face(faces.count, x: 520 - Double(t), carol)) }
            if !faces.isEmpty { frames.append(frame(t, faces)) }
        }
        var reference = FaceTracker(settings: settings)
        var committed: [CommittedDetection] = []
        var states: [Int64: TrackerState] = [:]
        var expected: [[TrackAssignment]] = []
        for f in frames {
            let out = reference.update(f)
            expected.append(out)
            for a in out {
                let obs = f.faces.first { $0.detectionIndex == a.detectionIndex }
                if let obs {
                    committed.append(CommittedDetection(trackID: a.trackID, sampleOrdinal: f.sampleOrdinal, box: obs.box, embedding: obs.embedding))
                }
            }
            states[f.sampleOrdinal] = reference.state
        }
        XCTAssertGreaterThan(reference.state.nextTrackID, 4, "the scenario should create several tracks")
        // Kill after every frame in turn, rebuild from what was committed, and finish the input.
        for (k, killed) in frames.enumerated() {
            let rebuilt = TrackerState.rebuild(from: committed.filter { $0.sampleOrdinal <= killed.sampleOrdinal }.reversed(),
                                               checkpointOrdinal: killed.sampleOrdinal, settings: settings)
            XCTAssertEqual(rebuilt, states[killed.sampleOrdinal], "state after ordinal \(killed.sampleOrdinal)")
            var resumed = FaceTracker(settings: settings, state: rebuilt)
            for (j, f) in frames.enumerated().dropFirst(k + 1) {
                XCTAssertEqual(resumed.update(f), expected[j], "resumed after \(killed.sampleOrdinal), frame \(f.sampleOrdinal)")
            }
        }
        XCTAssertEqual(TrackerState.rebuild(from: [], checkpointOrdinal: nil, settings: settings), .initial)
    }

    func testEmbeddingsOfDifferentLengthNeverMatch() {
        var tracker = FaceTracker(settings: TrackingSettings(iou: 0, maxGapFrames: 1, maxDistance: 4))
        _ = tracker.update(frame(0, [FaceObservation(detectionIndex: 0, box: PixelBox(x: 0, y: 0, width: 10, height: 10), embedding: [1, 0])]))
        let out = tracker.update(frame(1, [FaceObservation(detectionIndex: 0, box: PixelBox(x: 0, y: 0, width: 10, height: 10), embedding: [1, 0, 0])]))
        XCTAssertEqual(out.first?.trackID, 2)
    }

    func testIoU() {
        let a = PixelBox(x: 0, y: 0, width: 10, height: 10)
        XCTAssertEqual(a.iou(a), 1)
        XCTAssertEqual(a.iou(PixelBox(x: 5, y: 0, width: 10, height: 10)), 50.0 / 150.0, accuracy: 1e-12)
        XCTAssertEqual(a.iou(PixelBox(x: 20, y: 20, width: 5, height: 5)), 0)
        XCTAssertEqual(a.iou(PixelBox(x: 0, y: 0, width: 0, height: 0)), 0)
    }
}
