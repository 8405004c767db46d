import XCTest
@testable import FaceEngine

/// The package's suppression rule, which differs from textbook greedy NMS.
final class MTCNNNonMaxSuppressionTests: XCTestCase {
    func testSuppressedBoxesStillSuppressLaterOnes() {
        let a = (0.0, 0.0, 10.0, 10.0), b = (2.0, 0.0, 12.0, 10.0), c = (4.0, 0.0, 14.0, 10.0)
        XCTAssertGreaterThan(NonMaxSuppression.overlap(a, b, method: .union), 0.5)
        XCTAssertLessThan(NonMaxSuppression.overlap(a, c, method: .union), 0.5)
        XCTAssertGreaterThan(NonMaxSuppression.overlap(b, c, method: .union), 0.5)
        // Greedy NMS would keep a and c; the package drops c because b (itself dropped) overlaps it.
        XCTAssertEqual(NonMaxSuppression.keep([a, b, c], threshold: 0.5, method: .union), [0])
    }

    func testUnionAndMinimumDifferOnNestedBoxes() {
        let big = (0.0, 0.0, 100.0, 100.0), small = (10.0, 10.0, 30.0, 30.0)
        XCTAssertEqual(NonMaxSuppression.overlap(big, small, method: .union), 0.04, accuracy: 1e-12)
        XCTAssertEqual(NonMaxSuppression.overlap(big, small, method: .minimum), 1)
        XCTAssertEqual(NonMaxSuppression.keep([big, small], threshold: 0.7, method: .union), [0, 1])
        XCTAssertEqual(NonMaxSuppression.keep([big, small], threshold: 0.7, method: .minimum), [0])
    }

    func testOverlapEqualToThresholdDoesNotSuppress() {
        let a = (0.0, 0.0, 10.0, 10.0), b = (0.0, 0.0, 10.0, 5.0)
        XCTAssertEqual(NonMaxSuppression.overlap(a, b, method: .union), 0.5)
        XCTAssertEqual(NonMaxSuppression.keep([a, b], threshold: 0.5, method: .union), [0, 1])
        XCTAssertEqual(NonMaxSuppression.keep([a, b], threshold: 0.49, method: .union), [0])
    }

    func testEmptyBoxesNeverSuppress() {
        let dot = (5.0, 5.0, 5.0, 5.0)
        XCTAssertTrue(NonMaxSuppression.overlap(dot, dot, method: .union).isNaN)
        XCTAssertEqual(NonMaxSuppression.keep([dot, dot], threshold: 0.5, method: .union), [0, 1])
        XCTAssertEqual(NonMaxSuppression.keep([], threshold: 0.5, method: .minimum), [])
    }

    func testDisjointBoxesAreAllKept() {
        let boxes = (0..<50).map { i in (Double(i) * 20, 0.0, Double(i) * 20 + 10, 10.0) }
        XCTAssertEqual(NonMaxSuppression.keep(boxes, threshold: 0.3, method: .union), Array(0..<50))
    }

    func testDescendingOrderPutsLaterEqualScoresFirst() {
        XCTAssertEqual(NonMaxSuppression.descendingOrder([0.5, 0.9, 0.5, 0.7]), [1, 3, 2, 0])
        XCTAssertEqual(NonMaxSuppression.descendingOrder([]), [])
    }

    func testSquaringAndRegressionFollowThePackage() {
        let c = MTCNNCandidate(x1: 10, y1: 20, x2: 30, y2: 60, score: 0.9)
        let s = c.squared()
        XCTAssertEqual([s.x1, s.y1, s.x2, s.y2], [0, 20, 40, 60])
        // adjust_bboxes: offsets times (x2 - x1 + 1), in float32.
        let r = s.regressed(0.1, -0.1, 0.2, 0)
        XCTAssertEqual(r.x1, Double(Float(0.1) * 41), accuracy: 0)
        XCTAssertEqual(r.y1, 20 + Double(Float(-0.1) * 41), accuracy: 0)
        XCTAssertEqual(r.x2, 40 + Double(Float(0.2) * 41), accuracy: 0)
        XCTAssertEqual(r.y2, 60)
        XCTAssertEqual(r.score, 0.9)
    }
}
