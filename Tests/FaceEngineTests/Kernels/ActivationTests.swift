import XCTest
@testable import FaceEngine

/// ReLU, PReLU and channel softmax against per-element formulas.
final class ActivationTests: XCTestCase {
    func testReLU() {
        let x = Naive.tensor(2, 3, 4, 5, seed: 11)
        let y = ReLU().forward(x)
        for i in 0..<x.count { XCTAssertEqual(y.data[i], max(0, x.data[i])) }
    }

    func testPReLUUsesEachChannelsSlope() {
        let x = Naive.tensor(2, 3, 4, 5, seed: 12)
        let alpha: [Float] = [0.25, -0.5, 2]
        let y = PReLU(alpha: alpha).forward(x)
        for i in 0..<2 { for k in 0..<3 { for r in 0..<4 { for c in 0..<5 {
            let v = x[i, k, r, c]
            XCTAssertEqual(y[i, k, r, c], v > 0 ? v : alpha[k] * v)
        } } } }
    }

    func testSoftmaxOverChannels() {
        let x = Naive.tensor(2, 4, 3, 3, seed: 13)
        let y = Softmax().forward(x)
        for i in 0..<2 { for r in 0..<3 { for c in 0..<3 {
            let e = (0..<4).map { exp(Double(x[i, $0, r, c])) }
            let s = e.reduce(0, +)
            for k in 0..<4 { XCTAssertEqual(Double(y[i, k, r, c]), e[k] / s, accuracy: 1e-6) }
        } } }
    }

    func testSoftmaxIsStableForLargeLogits() {
        let y = Softmax().forward(Tensor(n: 1, c: 2, h: 1, w: 1, data: [1000, 999]))
        XCTAssertEqual(Double(y.data[0]), 1 / (1 + exp(-1.0)), accuracy: 1e-6)
    }
}
