import XCTest
@testable import FaceEngine

/// `Conv2D` (im2col + sgemm, grouped samples) against a direct six-loop convolution.
final class Conv2DTests: XCTestCase {
    private func check(n: Int, inC: Int, outC: Int, h: Int, w: Int, kh: Int, kw: Int, sy: Int, sx: Int,
                       padding: SpatialPadding, file: StaticString = #filePath, line: UInt = #line) {
        let x = Naive.tensor(n, inC, h, w, seed: UInt64(h * 31 + kh))
        let weights = Naive.values(outC * inC * kh * kw, seed: 7)
        let bias = Naive.values(outC, seed: 8)
        let conv = Conv2D(weights: weights, bias: bias, outChannels: outC, inChannels: inC,
                          kernelH: kh, kernelW: kw, strideY: sy, strideX: sx, padding: padding)
        let expected = Naive.conv(x, weights: weights, bias: bias, outC: outC, kh: kh, kw: kw,
                                  sy: sy, sx: sx, padding: padding)
        assertClose(conv.forward(x), expected, accuracy: 1e-4,
                    "conv \(kh)x\(kw)/\(sy) \(padding) on \(n)x\(inC)x\(h)x\(w)", file: file, line: line)
    }

    func testValid3x3() { check(n: 2, inC: 3, outC: 10, h: 12, w: 14, kh: 3, kw: 3, sy: 1, sx: 1, padding: .valid) }
    func testSame3x3Stride2() { check(n: 2, inC: 4, outC: 5, h: 9, w: 8, kh: 3, kw: 3, sy: 2, sx: 2, padding: .same) }
    func testDlibPaddedStride1() { check(n: 3, inC: 5, outC: 6, h: 7, w: 7, kh: 3, kw: 3, sy: 1, sx: 1, padding: .symmetric(y: 1, x: 1)) }
    func testDlibStride2NoPadding() { check(n: 2, inC: 3, outC: 4, h: 17, w: 17, kh: 7, kw: 7, sy: 2, sx: 2, padding: .symmetric(y: 0, x: 0)) }
    func testNonSquareKernelAndStride() { check(n: 1, inC: 2, outC: 3, h: 11, w: 9, kh: 2, kw: 3, sy: 1, sx: 2, padding: .valid) }
    func testPointwiseUsesTheInputDirectly() { check(n: 2, inC: 6, outC: 4, h: 5, w: 6, kh: 1, kw: 1, sy: 1, sx: 1, padding: .valid) }

    /// Many small samples are multiplied in one grouped product and scattered back per sample.
    func testGroupedSmallSamples() { check(n: 37, inC: 8, outC: 9, h: 4, w: 4, kh: 3, kw: 3, sy: 1, sx: 1, padding: .symmetric(y: 1, x: 1)) }

    func testEmptyBatch() {
        let conv = Conv2D(weights: [1], outChannels: 1, inChannels: 1, kernelH: 1, kernelW: 1)
        XCTAssertEqual(conv.forward(Tensor(n: 0, c: 1, h: 3, w: 3)).shape, [0, 1, 3, 3])
    }

    func testMultiplyAdds() {
        let conv = Conv2D(weights: [Float](repeating: 0, count: 32 * 3 * 49), outChannels: 32, inChannels: 3,
                          kernelH: 7, kernelW: 7, strideY: 2, strideX: 2, padding: .symmetric(y: 0, x: 0))
        XCTAssertEqual(conv.multiplyAdds(h: 150, w: 150), 72 * 72 * 32 * 3 * 49)
    }
}
