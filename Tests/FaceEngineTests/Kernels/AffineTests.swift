import XCTest
@testable import FaceEngine

/// Per-channel affine transform, and folding it into a preceding convolution.
final class AffineTests: XCTestCase {
    func testAppliesPerChannel() {
        let x = Naive.tensor(2, 3, 2, 2, seed: 31)
        let a = Affine(scale: [2, -1, 0.5], shift: [1, 0, -3])
        let y = a.forward(x)
        for i in 0..<2 { for k in 0..<3 { for r in 0..<2 { for c in 0..<2 {
            XCTAssertEqual(y[i, k, r, c], x[i, k, r, c] * a.scale[k] + a.shift[k], accuracy: 1e-6)
        } } } }
    }

    func testFoldingIntoConvolutionEqualsConvolutionThenAffine() {
        let x = Naive.tensor(2, 3, 9, 9, seed: 32)
        let conv = Conv2D(weights: Naive.values(4 * 3 * 9, seed: 33), bias: Naive.values(4, seed: 34),
                          outChannels: 4, inChannels: 3, kernelH: 3, kernelW: 3, strideY: 2, strideX: 2,
                          padding: .symmetric(y: 0, x: 0))
        let affine = Affine(scale: Naive.values(4, seed: 35), shift: Naive.values(4, seed: 36))
        assertClose(affine.folded(into: conv).forward(x), affine.forward(conv.forward(x)),
                    accuracy: 1e-5, "folded affine")
    }
}
