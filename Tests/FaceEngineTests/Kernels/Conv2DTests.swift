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

/// The Winograd path of 3x3 stride-1 layers (outputs of 4x4 and more, 16 input channels and more),
/// including odd output sizes whose last tile is cut, against the direct loop.
final class Conv2DWinogradTests: XCTestCase {
    private func check(n: Int, inC: Int, outC: Int, h: Int, w: Int, padding: SpatialPadding,
                       file: StaticString = #filePath, line: UInt = #line) {
        let x = Naive.tensor(n, inC, h, w, seed: UInt64(h * 7 + w))
        let weights = Naive.values(outC * inC * 9, seed: 17)
        let bias = Naive.values(outC, seed: 18)
        let conv = Conv2D(weights: weights, bias: bias, outChannels: outC, inChannels: inC,
                          kernelH: 3, kernelW: 3, padding: padding)
        let g = conv.geometry(h: h, w: w)
        XCTAssertTrue(conv.usesWinograd(outH: g.h, outW: g.w), "takes the Winograd path", file: file, line: line)
        let expected = Naive.conv(x, weights: weights, bias: bias, outC: outC, kh: 3, kw: 3, sy: 1, sx: 1, padding: padding)
        assertClose(conv.forward(x), expected, accuracy: 1e-4, "winograd \(padding) \(n)x\(inC)x\(h)x\(w)", file: file, line: line)
    }

    func testPaddedOddSize() { check(n: 3, inC: 16, outC: 7, h: 35, w: 35, padding: .symmetric(y: 1, x: 1)) }
    func testPaddedEvenSize() { check(n: 2, inC: 17, outC: 4, h: 8, w: 8, padding: .symmetric(y: 1, x: 1)) }
    func testValidNonSquare() { check(n: 1, inC: 16, outC: 5, h: 12, w: 9, padding: .valid) }
    func testKerasSame() { check(n: 2, inC: 20, outC: 3, h: 7, w: 10, padding: .same) }
    /// Rows of more than eight tiles use the SIMD runs and a scalar tail.
    func testWideRows() { check(n: 1, inC: 16, outC: 3, h: 6, w: 37, padding: .symmetric(y: 1, x: 1)) }
    /// dlib's 4x4 maps of 256 channels are the smallest maps on this path.
    func testSmallestMaps() { check(n: 3, inC: 16, outC: 6, h: 4, w: 5, padding: .symmetric(y: 1, x: 1)) }

    /// Few input channels take im2col: Winograd's 16 transformed outputs per tile would dominate.
    func testFewInputChannelsTakeIm2col() {
        let conv = Conv2D(weights: [Float](repeating: 0, count: 10 * 3 * 9), outChannels: 10, inChannels: 3, kernelH: 3, kernelW: 3)
        XCTAssertNotNil(conv.winograd)
        XCTAssertFalse(conv.usesWinograd(outH: 214, outW: 382))
    }
}

/// The chunking of both paths: Winograd in bands of tile rows of one large sample and in groups of
/// whole small samples (with a last, shorter group); im2col in bands of output rows.
final class Conv2DChunkingTests: XCTestCase {
    private func check(n: Int, inC: Int, outC: Int, h: Int, w: Int, k: Int, stride: Int, padding: SpatialPadding,
                       file: StaticString = #filePath, line: UInt = #line) {
        let x = Naive.tensor(n, inC, h, w, seed: UInt64(h * 13 + inC))
        let weights = Naive.values(outC * inC * k * k, seed: 27)
        let bias = Naive.values(outC, seed: 28)
        let conv = Conv2D(weights: weights, bias: bias, outChannels: outC, inChannels: inC,
                          kernelH: k, kernelW: k, strideY: stride, strideX: stride, padding: padding)
        let expected = Naive.conv(x, weights: weights, bias: bias, outC: outC, kh: k, kw: k, sy: stride, sx: stride, padding: padding)
        assertClose(conv.forward(x), expected, accuracy: 1e-4, "\(k)x\(k)/\(stride) \(n)x\(inC)x\(h)x\(w)", file: file, line: line)
    }

    /// 48+48 channels leave room for 170 tiles per chunk: a 41x39 map (21x20 tiles) needs 3 bands.
    func testWinogradBandsOfOneSample() {
        let g = Conv2D(weights: [Float](repeating: 0, count: 48 * 48 * 9), outChannels: 48, inChannels: 48, kernelH: 3, kernelW: 3)
        XCTAssertTrue(g.usesWinograd(outH: 41, outW: 39))
        XCTAssertLessThan(2 * Winograd3x3.chunkBytes / (64 * 96), 21 * 20)
        check(n: 2, inC: 48, outC: 48, h: 41, w: 39, k: 3, stride: 1, padding: .symmetric(y: 1, x: 1))
    }

    /// Small maps are grouped several samples per product; 11 samples leave a shorter last group.
    func testWinogradGroupsOfSamples() {
        check(n: 11, inC: 40, outC: 24, h: 9, w: 8, k: 3, stride: 1, padding: .valid)
    }

    /// A 7x7 stride-2 layer on a large input runs im2col in bands of output rows (dlib's conv0 shape).
    func testIm2colBands() {
        XCTAssertLessThan(Conv2D.columnBudget / (3 * 49 * 72), 72)
        check(n: 2, inC: 3, outC: 5, h: 150, w: 150, k: 7, stride: 2, padding: .symmetric(y: 0, x: 0))
    }
}

/// The fused epilogue: residual join over the shortcut's channels, then ReLU, on both paths.
final class Conv2DEpilogueTests: XCTestCase {
    private func check(n: Int, inC: Int, outC: Int, resC: Int, h: Int, w: Int, relu: Bool, winograd: Bool,
                       file: StaticString = #filePath, line: UInt = #line) {
        let x = Naive.tensor(n, inC, h, w, seed: 41)
        let weights = Naive.values(outC * inC * 9, seed: 42)
        let bias = Naive.values(outC, seed: 43)
        let residual = Naive.tensor(n, resC, h, w, seed: 44)
        let conv = Conv2D(weights: weights, bias: bias, outChannels: outC, inChannels: inC,
                          kernelH: 3, kernelW: 3, padding: .symmetric(y: 1, x: 1))
        XCTAssertEqual(conv.usesWinograd(outH: h, outW: w), winograd, "path", file: file, line: line)
        var expected = Naive.conv(x, weights: weights, bias: bias, outC: outC, kh: 3, kw: 3, sy: 1, sx: 1,
                                  padding: .symmetric(y: 1, x: 1))
        for i in 0..<n {
            for k in 0..<outC {
                for y in 0..<h {
                    for xx in 0..<w {
                        var v = expected[i, k, y, xx] + (k < resC ? residual[i, k, y, xx] : 0)
                        if relu { v = max(v, 0) }
                        expected[i, k, y, xx] = v
                    }
                }
            }
        }
        assertClose(conv.forward(x, residual: residual, relu: relu), expected, accuracy: 1e-4,
                    "epilogue \(n)x\(inC)x\(h)x\(w) residual \(resC) relu \(relu)", file: file, line: line)
    }

    func testWinogradResidualAndReLU() { check(n: 3, inC: 16, outC: 5, resC: 5, h: 13, w: 11, relu: true, winograd: true) }
    func testWinogradResidualWithFewerChannels() { check(n: 2, inC: 16, outC: 6, resC: 3, h: 9, w: 9, relu: true, winograd: true) }
    func testWinogradResidualWithoutReLU() { check(n: 1, inC: 18, outC: 4, resC: 4, h: 8, w: 7, relu: false, winograd: true) }
    func testIm2colResidualAndReLU() { check(n: 3, inC: 5, outC: 7, resC: 4, h: 3, w: 5, relu: true, winograd: false) }
    func testIm2colBandsResidualAndReLU() { check(n: 2, inC: 4, outC: 3, resC: 2, h: 40, w: 50, relu: true, winograd: false) }

    func testReLUOnlyMatchesSeparateLayer() {
        let x = Naive.tensor(2, 3, 10, 10, seed: 5)
        let conv = Conv2D(weights: Naive.values(4 * 3 * 9, seed: 6), bias: Naive.values(4, seed: 7),
                          outChannels: 4, inChannels: 3, kernelH: 3, kernelW: 3, padding: .valid)
        XCTAssertEqual(conv.forward(x, residual: nil, relu: true), ReLU().forward(conv.forward(x)))
    }
}
