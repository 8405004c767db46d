import Common
import XCTest

final class MetricTests: XCTestCase {
    func testEuclideanAndCosine() {
        XCTAssertEqual(Metric.euclidean.distance([0, 3], [4, 0]), 5, accuracy: 1e-6)
        XCTAssertEqual(Metric.cosine.distance([1, 0], [0, 2]), 1, accuracy: 1e-6)
        XCTAssertEqual(Metric.cosine.distance([1, 1], [2, 2]), 0, accuracy: 1e-6)
    }
}
