import XCTest
@testable import FaceEngine

/// `Dense` against a direct dot product per output.
final class DenseTests: XCTestCase {
    func testMatchesDotProducts() {
        let x = Naive.tensor(3, 4, 2, 2, seed: 21)
        let w = Naive.values(5 * 16, seed: 22)
        let b = Naive.values(5, seed: 23)
        let y = Dense(weights: w, bias: b, outputs: 5, inputs: 16).forward(x)
        XCTAssertEqual(y.shape, [3, 5, 1, 1])
        for i in 0..<3 {
            for o in 0..<5 {
                var s = Double(b[o])
                for j in 0..<16 { s += Double(w[o * 16 + j]) * Double(x.data[i * 16 + j]) }
                XCTAssertEqual(Double(y.data[i * 5 + o]), s, accuracy: 1e-5)
            }
        }
    }

    func testNoBiasDefaultsToZero() {
        let y = Dense(weights: [1, 2, 3, 4], outputs: 2, inputs: 2).forward(Tensor(n: 1, c: 2, h: 1, w: 1, data: [1, 1]))
        XCTAssertEqual(y.data, [3, 7])
    }
}
