import TestSupport
import XCTest
@testable import Search

/// Every pair within the radius, and only those, with exact distances, across sgemm blocks.
final class RadiusNeighboursTests: XCTestCase {
    /// The reference: every pair by a plain Double loop.
    private func naive(_ v: [Float], _ d: Int, radius: Float, settled: Int = 0) -> [[RadiusNeighbours.Neighbour]] {
        let n = v.count / d
        var out = [[RadiusNeighbours.Neighbour]](repeating: [], count: n)
        for i in 0..<n {
            for j in 0..<n where j != i && !(i < settled && j < settled) {
                var sum = 0.0
                for k in 0..<d { let t = Double(v[i * d + k]) - Double(v[j * d + k]); sum += t * t }
                let dist = Float(sum.squareRoot())
                if dist <= radius { out[i].append(.init(row: j, distance: dist)) }
            }
        }
        return out
    }

    func testAllPairsWithinTheRadiusAcrossBlocks() {
        // 2,600 rows: two sgemm blocks on each side, so diagonal and off-diagonal tiles both count.
        let d = 8
        let v = TestVectors.random(2_600, d, seed: 41).map { $0 * 0.25 }
        let radius: Float = 0.3
        let found = RadiusNeighbours.within(v, dimension: d, radius: radius)
        let expected = naive(v, d, radius: radius)
        XCTAssertEqual(found, expected)
        XCTAssertGreaterThan(expected.reduce(0) { $0 + $1.count }, 1_000, "the radius links many pairs")
        for (i, list) in found.enumerated() {
            for n in list { XCTAssertTrue(found[n.row].contains { $0.row == i }, "symmetric") }
        }
    }

    func testALimitKeepsEachRowsNearest() {
        let d = 6
        let v = TestVectors.random(2_300, d, seed: 19).map { $0 * 0.2 }
        let all = naive(v, d, radius: 0.35)
        let limited = RadiusNeighbours.within(v, dimension: d, radius: 0.35, limit: 5)
        for (row, list) in all.enumerated() {
            let nearest = list.sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }.prefix(5)
            XCTAssertEqual(limited[row], nearest.sorted { $0.row < $1.row }, "row \(row)")
        }
        XCTAssertTrue(all.contains { $0.count > 5 }, "some rows have more than the limit")
    }

    func testSettledRowsAreNotPairedWithEachOther() {
        let d = 4
        let v = TestVectors.random(300, d, seed: 7).map { $0 * 0.3 }
        let found = RadiusNeighbours.within(v, dimension: d, radius: 0.4, settled: 120)
        XCTAssertEqual(found, naive(v, d, radius: 0.4, settled: 120))
        XCTAssertTrue(found[0..<120].allSatisfy { $0.allSatisfy { $0.row >= 120 } })
    }

    func testDegenerateInputs() {
        XCTAssertEqual(RadiusNeighbours.within([], dimension: 3, radius: 1), [])
        XCTAssertEqual(RadiusNeighbours.within([1, 2, 3], dimension: 3, radius: 1), [[]])
        // Identical rows are at distance 0, within any radius.
        XCTAssertEqual(RadiusNeighbours.within([1, 2, 1, 2], dimension: 2, radius: 0),
                       [[.init(row: 1, distance: 0)], [.init(row: 0, distance: 0)]])
    }
}
