import XCTest
@testable import FaceEngine

/// MTCNN's own layers (channel-major batches, fused bias + PReLU, separable max-pool) against the
/// naive reference kernels and the shared layers, on shapes of the three networks and on shapes
/// that force the convolution to split its im2col matrix into many chunks.
final class MTCNNLayerTests: XCTestCase {
    /// NCHW tensor values reordered to `[c][n][h][w]`.
    static func channelMajor(_ t: Tensor) -> [Float] {
        var out = [Float](repeating: 0, count: t.count)
        for i in 0..<t.n {
            for c in 0..<t.c {
                for p in 0..<t.planeSize { out[(c * t.n + i) * t.planeSize + p] = t.data[(i * t.c + c) * t.planeSize + p] }
            }
        }
        return out
    }

    /// `[c][n][h][w]` values back to an NCHW tensor.
    static func sampleMajor(_ v: UnsafePointer<Float>, n: Int, c: Int, h: Int, w: Int) -> Tensor {
        var t = Tensor(n: n, c: c, h: h, w: w)
        let plane = h * w
        for i in 0..<n {
            for k in 0..<c {
                for p in 0..<plane { t.data[(i * c + k) * plane + p] = v[(k * n + i) * plane + p] }
            }
        }
        return t
    }

    private func checkConv(n: Int, inC: Int, outC: Int, h: Int, w: Int, k: Int, prelu: Bool,
                           file: StaticString = #filePath, line: UInt = #line) {
        let x = Naive.tensor(n, inC, h, w, seed: UInt64(h * 17 + w))
        let weights = Naive.values(outC * inC * k * k, seed: 3)
        let bias = Naive.values(outC, seed: 4)
        let alpha = Naive.values(outC, seed: 5).map { abs($0) }
        var expected = Naive.conv(x, weights: weights, bias: bias, outC: outC, kh: k, kw: k, sy: 1, sx: 1, padding: .valid)
        if prelu { PReLU(alpha: alpha).apply(&expected) }
        let layer = MTCNNConvLayer(Conv2D(weights: weights, bias: bias, outChannels: outC, inChannels: inC,
                                          kernelH: k, kernelW: k), prelu: prelu ? PReLU(alpha: alpha) : nil)
        let oh = layer.outputSize(h), ow = layer.outputSize(w)
        let input = MTCNNLayerTests.channelMajor(x)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: outC * n * oh * ow)
        defer { out.deallocate() }
        input.withUnsafeBufferPointer { layer.forward($0.baseAddress!, n: n, h: h, w: w, into: out, scratch: MTCNNScratch()) }
        assertClose(MTCNNLayerTests.sampleMajor(out, n: n, c: outC, h: oh, w: ow), expected, accuracy: 1e-4,
                    "MTCNN conv \(k)x\(k) \(inC)->\(outC) on \(n)x\(h)x\(w)", file: file, line: line)
    }

    func testPNetShapedConvolutions() {
        checkConv(n: 1, inC: 3, outC: 10, h: 14, w: 17, k: 3, prelu: true)
        checkConv(n: 1, inC: 32, outC: 6, h: 3, w: 5, k: 1, prelu: false)
    }

    func testBatchedRNetAndONetShapedConvolutions() {
        checkConv(n: 5, inC: 28, outC: 48, h: 11, w: 11, k: 3, prelu: true)
        checkConv(n: 7, inC: 48, outC: 64, h: 4, w: 4, k: 2, prelu: true)
    }

    /// 144 x 298 floats per output row: every chunk holds a single row, and the last one is short.
    func testConvolutionSplitIntoManyChunks() {
        checkConv(n: 1, inC: 16, outC: 32, h: 9, w: 300, k: 3, prelu: true)
        checkConv(n: 3, inC: 16, outC: 8, h: 7, w: 200, k: 3, prelu: true)
    }

    private func checkPool(planes: Int, h: Int, w: Int, k: Int, padding: SpatialPadding,
                           file: StaticString = #filePath, line: UInt = #line) {
        let x = Naive.tensor(1, planes, h, w, seed: UInt64(h * 7 + k))
        let expected = Naive.pool(x, kh: k, kw: k, sy: 2, sx: 2, padding: padding, max: true)
        let pool = MTCNNMaxPool(kernel: k, stride: 2, padding: padding)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: planes * expected.planeSize)
        defer { out.deallocate() }
        let size = x.data.withUnsafeBufferPointer { pool.forward($0.baseAddress!, planes: planes, h: h, w: w, into: out) }
        XCTAssertEqual([size.h, size.w], [expected.h, expected.w], file: file, line: line)
        let got = Array(UnsafeBufferPointer(start: out, count: planes * expected.planeSize))
        XCTAssertEqual(got, expected.data, "max-pool \(k)x\(k)/2 \(padding) on \(h)x\(w)", file: file, line: line)
    }

    /// Exactly the window walk's maxima, including windows clipped at either border.
    func testMaxPoolEqualsTheWindowWalk() {
        checkPool(planes: 3, h: 21, w: 18, k: 2, padding: .same)
        checkPool(planes: 3, h: 22, w: 22, k: 3, padding: .same)
        checkPool(planes: 2, h: 23, w: 19, k: 3, padding: .same)
        checkPool(planes: 4, h: 9, w: 9, k: 3, padding: .valid)
        checkPool(planes: 4, h: 21, w: 21, k: 3, padding: .valid)
        checkPool(planes: 2, h: 8, w: 8, k: 2, padding: .same)
        // Rows wider than one 8-lane vector, with and without a tail, and narrower than one.
        checkPool(planes: 2, h: 17, w: 37, k: 2, padding: .same)
        checkPool(planes: 2, h: 15, w: 40, k: 3, padding: .same)
        checkPool(planes: 3, h: 6, w: 5, k: 3, padding: .valid)
    }

    /// Same product shape and argument order as `Dense`, so the values are equal, not just close.
    func testDenseLayerEqualsDenseAndPReLU() {
        let n = 9, inputs = 576, outputs = 128
        let x = Naive.tensor(n, inputs, 1, 1, seed: 11)
        let dense = Dense(weights: Naive.values(outputs * inputs, seed: 12), bias: Naive.values(outputs, seed: 13),
                          outputs: outputs, inputs: inputs)
        let prelu = PReLU(alpha: Naive.values(outputs, seed: 14).map { abs($0) })
        var expected = dense.forward(x)
        prelu.apply(&expected)
        let layer = MTCNNDenseLayer(dense, prelu: prelu)
        var got = [Float](repeating: 0, count: n * outputs)
        x.data.withUnsafeBufferPointer { src in
            got.withUnsafeMutableBufferPointer { layer.forward(src.baseAddress!, n: n, into: $0.baseAddress!) }
        }
        XCTAssertEqual(got, expected.data)
    }
}
