import XCTest
@testable import FaceEngine

/// MTCNN's layers: oneDNN chains (convolution + PReLU, max pools with Keras' "same" and "valid"
/// windows, several layers in one chain with blocked activations between them) against the naive
/// reference kernels, on shapes of the three networks; and the dense layers against `Dense`.
final class MTCNNLayerTests: XCTestCase {
    private func run(_ layers: [DNNLLayer], _ x: Tensor) throws -> (Tensor, DNNLChain) {
        let chain = try DNNLChain(layers, n: x.n, c: x.c, h: x.h, w: x.w)
        let s = chain.outputShape
        var out = Tensor(n: s.n, c: s.c, h: s.h, w: s.w)
        var workspace = [Float](repeating: .nan, count: chain.workspaceFloats)
        try x.data.withUnsafeBufferPointer { src in
            try out.data.withUnsafeMutableBufferPointer { dst in
                try workspace.withUnsafeMutableBufferPointer { ws in
                    try chain.run(src.baseAddress!, into: dst.baseAddress!, workspace: ws.baseAddress!)
                }
            }
        }
        return (out, chain)
    }

    private func convLayer(inC: Int, outC: Int, k: Int, seed: UInt64) -> (Conv2D, [Float]) {
        let conv = Conv2D(weights: Naive.values(outC * inC * k * k, seed: seed), bias: Naive.values(outC, seed: seed + 1),
                          outChannels: outC, inChannels: inC, kernelH: k, kernelW: k)
        return (conv, Naive.values(outC, seed: seed + 2).map { abs($0) })
    }

    private func checkConv(n: Int, inC: Int, outC: Int, h: Int, w: Int, k: Int, prelu: Bool,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let x = Naive.tensor(n, inC, h, w, seed: UInt64(h * 17 + w))
        let (conv, alpha) = convLayer(inC: inC, outC: outC, k: k, seed: 3)
        var expected = Naive.conv(x, weights: conv.weights, bias: conv.bias, outC: outC, kh: k, kw: k, sy: 1, sx: 1, padding: .valid)
        if prelu { PReLU(alpha: alpha).apply(&expected) }
        let (got, chain) = try run([.convolution(conv, prelu ? .prelu(alpha) : .linear)], x)
        assertClose(got, expected, accuracy: 1e-4, "conv \(k)x\(k) \(inC)->\(outC) on \(n)x\(h)x\(w) [\(chain.kernels)]",
                    file: file, line: line)
    }

    func testPNetShapedConvolutions() throws {
        try checkConv(n: 1, inC: 3, outC: 10, h: 14, w: 17, k: 3, prelu: true)
        try checkConv(n: 1, inC: 16, outC: 32, h: 9, w: 300, k: 3, prelu: true)
        try checkConv(n: 1, inC: 32, outC: 6, h: 3, w: 5, k: 1, prelu: false)
    }

    func testBatchedRNetAndONetShapedConvolutions() throws {
        try checkConv(n: 5, inC: 28, outC: 48, h: 11, w: 11, k: 3, prelu: true)
        try checkConv(n: 7, inC: 48, outC: 64, h: 4, w: 4, k: 2, prelu: true)
        try checkConv(n: 8, inC: 3, outC: 32, h: 48, w: 48, k: 3, prelu: true)
    }

    private func checkPool(planes: Int, h: Int, w: Int, k: Int, padding: SpatialPadding,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let x = Naive.tensor(1, planes, h, w, seed: UInt64(h * 7 + k))
        let expected = Naive.pool(x, kh: k, kw: k, sy: 2, sx: 2, padding: padding, max: true)
        let window = PoolWindow(kernelH: k, kernelW: k, strideY: 2, strideX: 2, padding: padding)
        let (got, _) = try run([.maxPool(window)], x)
        XCTAssertEqual([got.h, got.w], [expected.h, expected.w], file: file, line: line)
        XCTAssertEqual(got.data, expected.data, "max-pool \(k)x\(k)/2 \(padding) on \(h)x\(w)", file: file, line: line)
    }

    /// Exactly the window walk's maxima, including windows clipped at either border (padding never wins).
    func testMaxPoolEqualsTheWindowWalk() throws {
        try checkPool(planes: 3, h: 21, w: 18, k: 2, padding: .same)
        try checkPool(planes: 3, h: 22, w: 22, k: 3, padding: .same)
        try checkPool(planes: 2, h: 23, w: 19, k: 3, padding: .same)
        try checkPool(planes: 4, h: 9, w: 9, k: 3, padding: .valid)
        try checkPool(planes: 4, h: 21, w: 21, k: 3, padding: .valid)
        try checkPool(planes: 17, h: 8, w: 8, k: 2, padding: .same)
        try checkPool(planes: 2, h: 15, w: 40, k: 3, padding: .same)
    }

    /// R-Net's whole convolutional part in one chain (blocked layouts between its five layers)
    /// equals the naive layers one after another, for every sample of a batch: with non-negative
    /// PReLU slopes (the activations then run after the pools) and with negative ones (they stay
    /// before the pools).
    func testChainEqualsTheLayersOneByOne() throws {
        for sign: Float in [1, -1] {
            let (c1, s1) = convLayer(inC: 3, outC: 28, k: 3, seed: 20)
            let (c2, s2) = convLayer(inC: 28, outC: 48, k: 3, seed: 30)
            let (c3, a3) = convLayer(inC: 48, outC: 64, k: 2, seed: 40)
            let a1 = s1.map { $0 * sign }, a2 = s2.map { $0 * sign }
            let x = Naive.tensor(6, 3, 24, 24, seed: 50)
            var e = Naive.conv(x, weights: c1.weights, bias: c1.bias, outC: 28, kh: 3, kw: 3, sy: 1, sx: 1, padding: .valid)
            PReLU(alpha: a1).apply(&e)
            e = Naive.pool(e, kh: 3, kw: 3, sy: 2, sx: 2, padding: .same, max: true)
            e = Naive.conv(e, weights: c2.weights, bias: c2.bias, outC: 48, kh: 3, kw: 3, sy: 1, sx: 1, padding: .valid)
            PReLU(alpha: a2).apply(&e)
            e = Naive.pool(e, kh: 3, kw: 3, sy: 2, sx: 2, padding: .valid, max: true)
            e = Naive.conv(e, weights: c3.weights, bias: c3.bias, outC: 64, kh: 2, kw: 2, sy: 1, sx: 1, padding: .valid)
            PReLU(alpha: a3).apply(&e)
            let pool = { (k: Int, p: SpatialPadding) in
                DNNLLayer.maxPool(PoolWindow(kernelH: k, kernelW: k, strideY: 2, strideX: 2, padding: p))
            }
            let layers: [DNNLLayer] = [.convolution(c1, .prelu(a1)), pool(3, .same), .convolution(c2, .prelu(a2)),
                                       pool(3, .valid), .convolution(c3, .prelu(a3))]
            let (got, chain) = try run(layers, x)
            XCTAssertEqual([got.n, got.c, got.h, got.w], [6, 64, 3, 3])
            // Values reach about 900 here; kernels sum in their own order, so allow float rounding
            // of that size (1e-6 of the largest value), not a fixed 1e-4.
            let scale = e.data.map { abs($0) }.max() ?? 1
            assertClose(got, e, accuracy: 1e-6 * scale, "R-Net chain, slopes x\(sign) [\(chain.kernels)]")
            // Where the PReLUs ran: after the pools only when they never decrease.
            XCTAssertEqual(DNNLLayer.poolingFirst(layers).count, sign > 0 ? 7 : 5)
            XCTAssertTrue(chain.kernels.hasPrefix("conv") && chain.kernels.contains("; pool"), chain.kernels)
            let order = chain.kernels.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "" }
            let firstPool = order.firstIndex(of: "pool") ?? 0, firstPReLU = order.firstIndex(of: "prelu") ?? 0
            XCTAssertEqual(firstPool < firstPReLU, sign > 0, "order \(order)")
        }
    }

    /// An activation alone writes its result to the output and leaves the caller's input as it was.
    func testActivationLayerLeavesTheInputAlone() throws {
        let x = Naive.tensor(2, 20, 5, 7, seed: 70)
        XCTAssertTrue(x.data.contains { $0 < 0 })
        let before = x.data
        let slopes = Naive.values(20, seed: 71)
        var expected = x
        PReLU(alpha: slopes).apply(&expected)
        let (got, _) = try run([.activation(.prelu(slopes))], x)
        XCTAssertEqual(got.data, expected.data)
        XCTAssertEqual(x.data, before)
        let (relu, _) = try run([.activation(.relu)], x)
        XCTAssertEqual(relu.data, before.map { max($0, 0) })
    }

    /// Chains share a layer's weights in oneDNN's layout by the layer's key: two layers of one
    /// shape never get each other's weights (alive at once or one after the other), and chains of
    /// one layer at two batch sizes both compute with its own.
    func testLayersOfOneShapeKeepTheirOwnWeights() throws {
        let a = convLayer(inC: 16, outC: 32, k: 3, seed: 80).0
        let b = convLayer(inC: 16, outC: 32, k: 3, seed: 90).0
        XCTAssertNotEqual(a.weightsKey, b.weightsKey)
        let x = Naive.tensor(2, 16, 9, 11, seed: 81)
        func expected(_ conv: Conv2D, _ x: Tensor) -> Tensor {
            Naive.conv(x, weights: conv.weights, bias: conv.bias, outC: 32, kh: 3, kw: 3, sy: 1, sx: 1, padding: .valid)
        }
        let (gotA, chainA) = try run([.convolution(a, .linear)], x)
        let (gotB, chainB) = try run([.convolution(b, .linear)], x)
        assertClose(gotA, expected(a, x), accuracy: 1e-4, "layer a")
        assertClose(gotB, expected(b, x), accuracy: 1e-4, "layer b")
        let one = Naive.tensor(1, 16, 9, 11, seed: 82)
        assertClose(try run([.convolution(a, .linear)], one).0, expected(a, one), accuracy: 1e-4, "layer a, batch 1")
        withExtendedLifetime((chainA, chainB)) {}
        // A new layer after the others' chains are gone.
        let c = convLayer(inC: 16, outC: 32, k: 3, seed: 100).0
        assertClose(try run([.convolution(c, .linear)], x).0, expected(c, x), accuracy: 1e-4, "layer c")
    }

    /// A window larger than the input is refused with a message, not a crash.
    func testTooSmallInputIsAnError() {
        let (conv, _) = convLayer(inC: 3, outC: 10, k: 3, seed: 60)
        XCTAssertThrowsError(try DNNLChain([.convolution(conv, .linear)], n: 1, c: 3, h: 2, w: 9)) { error in
            XCTAssertTrue("\(error)".contains("smaller than"), "\(error)")
        }
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
