import TestSupport
import XCTest
@testable import Search

/// Deterministic label propagation: groups, fixed labels, nodes kept apart.
final class ChineseWhispersTests: XCTestCase {
    /// Points on a line; neighbours within `radius`.
    private func graph(_ xs: [Float], radius: Float) -> [[RadiusNeighbours.Neighbour]] {
        RadiusNeighbours.within(xs, dimension: 1, radius: radius)
    }

    func testTwoGroupsJoinedByOneStrayLinkStayTwo() {
        // Two tight groups of five, and one link from the edge of one to the edge of the other.
        let xs: [Float] = [0, 0.1, 0.2, 0.3, 0.4, 0.95, 1.0, 1.1, 1.2, 1.3]
        let labels = ChineseWhispers.labels(neighbours: graph(xs, radius: 0.55), fixed: xs.map { _ in nil }, radius: 0.55)
        XCTAssertEqual(Set(labels[0..<5]).count, 1)
        XCTAssertEqual(Set(labels[5..<10]).count, 1)
        XCTAssertNotEqual(labels[0], labels[9])
        XCTAssertTrue(labels.allSatisfy { $0 < 0 }, "free nodes carry negative labels")
        for _ in 0..<3 {
            XCTAssertEqual(ChineseWhispers.labels(neighbours: graph(xs, radius: 0.55), fixed: xs.map { _ in nil }, radius: 0.55),
                           labels, "deterministic")
        }
    }

    func testFixedLabelsStayAndPullTheirNeighbours() {
        let xs: [Float] = [0, 5, 0.1, 5.1, 9]
        let fixed: [Int64?] = [17, 3, nil, nil, nil]
        let labels = ChineseWhispers.labels(neighbours: graph(xs, radius: 0.3), fixed: fixed, radius: 0.3)
        XCTAssertEqual(Array(labels[0..<4]), [17, 3, 17, 3])
        XCTAssertEqual(labels[4], -5, "a node without neighbours keeps its own label")
    }

    func testNodesKeptApartNeverShareALabel() {
        // Three close points; 0 and 2 are simultaneous (must stay apart).
        let xs: [Float] = [0, 0.05, 0.1]
        let apart = [[2], [], [0]]
        let labels = ChineseWhispers.labels(neighbours: graph(xs, radius: 0.5), fixed: [nil, nil, nil], radius: 0.5, apart: apart)
        XCTAssertNotEqual(labels[0], labels[2])
        XCTAssertTrue(labels[1] == labels[0] || labels[1] == labels[2])
        // A node kept apart from a fixed node does not join its label; its neighbour, nearer the
        // fixed node, does.
        let ys: [Float] = [0, 0.02, 0.1]
        let joined = ChineseWhispers.labels(neighbours: graph(ys, radius: 0.5), fixed: [4, nil, nil], radius: 0.5,
                                            apart: [[2], [], [0]])
        XCTAssertEqual(joined[1], 4)
        XCTAssertNotEqual(joined[2], 4)
    }
}
