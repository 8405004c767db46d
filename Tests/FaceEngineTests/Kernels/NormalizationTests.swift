import XCTest
@testable import FaceEngine

/// Global average pooling and per-sample L2 normalisation.
final class NormalizationTests: XCTestCase {
    func testGlobalAveragePool() {
        let x = Naive.tensor(2, 3, 2, 3, seed: 51)
        let y = GlobalAvgPool().forward(x)
        XCTAssertEqual(y.shape, [2, 3, 1, 1])
        for i in 0..<2 { for k in 0..<3 {
            var s: Float = 0
            for r in 0..<2 { for c in 0..<3 { s += x[i, k, r, c] } }
            XCTAssertEqual(y.data[i * 3 + k], s / 6, accuracy: 1e-6)
        } }
    }

    func testL2NormaliseEachSample() {
        let x = Tensor(n: 3, c: 2, h: 1, w: 1, data: [3, 4, 0, 0, -1, 0])
        XCTAssertEqual(L2Normalize().forward(x).data, [0.6, 0.8, 0, 0, -1, 0])
    }
}
