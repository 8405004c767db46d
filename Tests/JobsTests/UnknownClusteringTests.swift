import Common
import Footage
import Store
import TestSupport
import XCTest

/// Grouping unmatched tracks: pure maths on their means, no database.
final class UnknownClusteringTests: XCTestCase {
    private func track(_ id: Int64, _ vector: [Float], input: Int = 0, from: Int64, to: Int64, job: Int64 = 1) -> UnknownTrack {
        UnknownTrack(jobID: job, inputOrdinal: input, trackID: id, representative: vector, faces: 5, firstMicroseconds: from,
                     lastMicroseconds: to, bestFrame: 0, bestMicroseconds: from, bestDetection: 0, bestScore: 0.99,
                     bestBox: PixelBox(x: 0, y: 0, width: 10, height: 10))
    }

    /// A 128-d point near `centre` (one of a few well separated directions).
    private func face(_ centre: Int, jitter: Float, _ rng: inout SeededRandom) -> [Float] {
        var v = [Float](repeating: 0, count: 128)
        v[centre] = 1
        for k in v.indices { v[k] += jitter * rng.gaussian() / 11.3 }
        return v
    }

    func testPeopleAreGroupedInOrderOfTheirFirstTrack() {
        var rng = SeededRandom(seed: 3)
        // Person 7, then person 2, then person 7 again, then person 9: tracks far apart in time.
        let centres = [7, 2, 7, 9, 2]
        let tracks = centres.enumerated().map { i, c in
            track(Int64(i + 1), face(c, jitter: 0.1, &rng), from: Int64(i) * 10_000_000, to: Int64(i) * 10_000_000 + 1_000_000)
        }
        let outcome = UnknownClustering().place(new: tracks, placed: [])
        XCTAssertTrue(outcome.joined.isEmpty)
        XCTAssertEqual(outcome.newPersons.map { $0.map(\.trackID) }, [[1, 3], [2, 5], [4]])
    }

    func testSimultaneousTracksAreTwoPeopleHoweverAlike() {
        var rng = SeededRandom(seed: 5)
        let a = track(1, face(4, jitter: 0.05, &rng), from: 0, to: 5_000_000)
        let b = track(2, face(4, jitter: 0.05, &rng), from: 4_000_000, to: 9_000_000)  // overlaps a
        let c = track(3, face(4, jitter: 0.05, &rng), input: 1, from: 0, to: 5_000_000)  // another input
        let outcome = UnknownClustering().place(new: [a, b, c], placed: [])
        XCTAssertEqual(outcome.newPersons.count, 2, "\(outcome.newPersons.map { $0.map(\.trackID) })")
        XCTAssertFalse(outcome.newPersons.contains { Set($0.map(\.trackID)).isSuperset(of: [1, 2]) })
    }

    func testNewTracksJoinKnownPersonsWithoutRenumbering() {
        var rng = SeededRandom(seed: 11)
        let known = [(personID: Int64(40), track: track(1, face(1, jitter: 0.1, &rng), from: 0, to: 1, job: 1)),
                     (personID: Int64(41), track: track(2, face(2, jitter: 0.1, &rng), from: 0, to: 1, job: 2))]
        let fresh = [track(1, face(2, jitter: 0.1, &rng), from: 0, to: 1, job: 3),
                     track(2, face(3, jitter: 0.1, &rng), from: 5_000_000, to: 6_000_000, job: 3),
                     track(3, face(1, jitter: 0.1, &rng), from: 9_000_000, to: 9_500_000, job: 3)]
        let outcome = UnknownClustering().place(new: fresh, placed: known)
        XCTAssertEqual(outcome.joined.map { "\($0.personID):\($0.track.trackID)" }, ["41:1", "40:3"])
        XCTAssertEqual(outcome.newPersons.map { $0.map(\.trackID) }, [[2]])
        // The same state gives the same answer.
        let again = UnknownClustering().place(new: fresh, placed: known)
        XCTAssertEqual(again.joined.map { "\($0.personID):\($0.track.trackID)" }, ["41:1", "40:3"])
    }

    func testATightThresholdSplitsWhatALooseOneJoins() {
        var rng = SeededRandom(seed: 13)
        let tracks = (0..<6).map { i in track(Int64(i + 1), face(5, jitter: 0.6, &rng), from: Int64(i) * 10_000_000, to: Int64(i) * 10_000_000 + 1) }
        XCTAssertEqual(UnknownClustering(threshold: 2).place(new: tracks, placed: []).newPersons.count, 1)
        XCTAssertEqual(UnknownClustering(threshold: 0.01).place(new: tracks, placed: []).newPersons.count, 6)
    }
}
