import Foundation

/// Reads the layers of one MTCNN network from the model file, checking every shape.
struct MTCNNLayerReader {
    let model: ModelFile
    let net: String

    func conv(_ name: String, out: Int, in inputs: Int, kernel: Int, padding: SpatialPadding = .valid) throws -> Conv2D {
        let w = try model.tensor("\(net).\(name).weight", shape: [out, inputs, kernel, kernel])
        let b = try model.tensor("\(net).\(name).bias", shape: [out])
        return Conv2D(weights: w, bias: b, outChannels: out, inChannels: inputs,
                      kernelH: kernel, kernelW: kernel, padding: padding)
    }

    func prelu(_ name: String, channels: Int) throws -> PReLU {
        PReLU(alpha: try model.tensor("\(net).\(name).alpha", shape: [channels]))
    }

    /// Several heads reading the same input, stacked into one layer so one product serves them all.
    func stackedDense(_ names: [(String, Int)], inputs: Int) throws -> Dense {
        var w = [Float](), b = [Float]()
        for (name, out) in names {
            w += try model.tensor("\(net).\(name).weight", shape: [out, inputs])
            b += try model.tensor("\(net).\(name).bias", shape: [out])
        }
        return Dense(weights: w, bias: b, outputs: b.count, inputs: inputs)
    }

    /// Several 1x1 convolution heads stacked the same way.
    func stackedPointwise(_ names: [(String, Int)], inputs: Int) throws -> Conv2D {
        var w = [Float](), b = [Float]()
        for (name, out) in names {
            w += try model.tensor("\(net).\(name).weight", shape: [out, inputs, 1, 1])
            b += try model.tensor("\(net).\(name).bias", shape: [out])
        }
        return Conv2D(weights: w, bias: b, outChannels: b.count, inChannels: inputs, kernelH: 1, kernelW: 1)
    }
}

/// The face probability of a two-way softmax, `exp(x1 - m) / (exp(x0 - m) + exp(x1 - m))` with
/// `m = max(x0, x1)`, the way Keras computes a softmax activation.
@inline(__always)
func faceProbability(_ x0: Float, _ x1: Float) -> Float {
    let m = max(x0, x1)
    let e0 = expf(x0 - m), e1 = expf(x1 - m)
    return e1 / (e0 + e1)
}

/// P-Net: a fully convolutional 12x12-window face scorer with box regression.
struct PNet: Sendable {
    let conv1: MTCNNConvLayer, pool1: MTCNNMaxPool
    let conv2: MTCNNConvLayer
    let conv3: MTCNNConvLayer
    /// conv4-1 (4 box offsets) and conv4-2 (2 class logits) as one 6-channel 1x1 convolution.
    let heads: MTCNNConvLayer

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "pnet")
        conv1 = MTCNNConvLayer(try r.conv("conv1", out: 10, in: 3, kernel: 3), prelu: try r.prelu("prelu1", channels: 10))
        pool1 = MTCNNMaxPool(kernel: 2, stride: 2, padding: .same)
        conv2 = MTCNNConvLayer(try r.conv("conv2", out: 16, in: 10, kernel: 3), prelu: try r.prelu("prelu2", channels: 16))
        conv3 = MTCNNConvLayer(try r.conv("conv3", out: 32, in: 16, kernel: 3), prelu: try r.prelu("prelu3", channels: 32))
        heads = MTCNNConvLayer(try r.stackedPointwise([("conv4_1", 4), ("conv4_2", 2)], inputs: 32), prelu: nil)
    }

    /// Output map rows for an input of `h` rows (columns alike).
    static func outputSize(_ h: Int) -> Int { max(0, (h - 1) / 2 - 4) }

    /// Floats of the ping and pong buffers `forward` needs for an `h x w` input.
    static func scratchSize(h: Int, w: Int) -> (ping: Int, pong: Int) {
        let c1 = max(0, h - 2) * max(0, w - 2)
        let p1 = ((h - 1) / 2) * ((w - 1) / 2)
        return (max(10 * c1, 16 * p1, 6 * p1), 32 * p1)
    }

    /// Runs the network on `scratch`'s input slot (`3 x h x w`); the result, in the ping slot, has
    /// 6 planes of `outputSize(h) x outputSize(w)`: offsets x1, y1, x2, y2 and the two logits.
    func forward(h: Int, w: Int, scratch: MTCNNScratch) -> UnsafePointer<Float> {
        let size = PNet.scratchSize(h: h, w: w)
        let input = scratch.buffer(.input, count: 3 * h * w)
        let ping = scratch.buffer(.ping, count: size.ping), pong = scratch.buffer(.pong, count: size.pong)
        conv1.forward(input, n: 1, h: h, w: w, into: ping, scratch: scratch)
        let p = pool1.forward(ping, planes: 10, h: h - 2, w: w - 2, into: pong)
        conv2.forward(pong, n: 1, h: p.h, w: p.w, into: ping, scratch: scratch)
        conv3.forward(ping, n: 1, h: p.h - 2, w: p.w - 2, into: pong, scratch: scratch)
        heads.forward(pong, n: 1, h: p.h - 4, w: p.w - 4, into: ping, scratch: scratch)
        return UnsafePointer(ping)
    }
}

/// Flattens `[c][n][plane]` activations into per-sample rows `[n][c * plane]` (the NCHW order the
/// dense layers' weights expect).
@inline(__always)
private func samplesFirst(_ src: UnsafePointer<Float>, channels: Int, n: Int, plane: Int,
                          into dst: UnsafeMutablePointer<Float>) {
    let row = channels * plane
    for c in 0..<channels {
        for s in 0..<n {
            let from = src + (c * n + s) * plane, to = dst + s * row + c * plane
            for i in 0..<plane { to[i] = from[i] }
        }
    }
}

/// R-Net: refines 24x24 candidate patches (score and box offsets).
struct RNet: Sendable {
    let conv1: MTCNNConvLayer, pool1: MTCNNMaxPool
    let conv2: MTCNNConvLayer, pool2: MTCNNMaxPool
    let conv3: MTCNNConvLayer
    let fc4: MTCNNDenseLayer
    /// fc5-1 (4 box offsets) and fc5-2 (2 class logits) stacked.
    let heads: MTCNNDenseLayer

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "rnet")
        conv1 = MTCNNConvLayer(try r.conv("conv1", out: 28, in: 3, kernel: 3), prelu: try r.prelu("prelu1", channels: 28))
        pool1 = MTCNNMaxPool(kernel: 3, stride: 2, padding: .same)
        conv2 = MTCNNConvLayer(try r.conv("conv2", out: 48, in: 28, kernel: 3), prelu: try r.prelu("prelu2", channels: 48))
        pool2 = MTCNNMaxPool(kernel: 3, stride: 2, padding: .valid)
        conv3 = MTCNNConvLayer(try r.conv("conv3", out: 64, in: 48, kernel: 2), prelu: try r.prelu("prelu3", channels: 64))
        fc4 = MTCNNDenseLayer(Dense(weights: try model.tensor("rnet.fc4.weight", shape: [128, 576]),
                                    bias: try model.tensor("rnet.fc4.bias", shape: [128]), outputs: 128, inputs: 576),
                              prelu: try r.prelu("prelu4", channels: 128))
        heads = MTCNNDenseLayer(try r.stackedDense([("fc5_1", 4), ("fc5_2", 2)], inputs: 128), prelu: nil)
    }

    /// Runs the network on `n` patches in `scratch`'s input slot (`[3][n][24][24]`); returns
    /// `[n][6]` (offsets x1, y1, x2, y2 and the two logits), valid until the scratch is reused.
    func forward(n: Int, scratch: MTCNNScratch) -> UnsafePointer<Float> {
        let input = scratch.buffer(.input, count: 3 * 576 * n)
        let ping = scratch.buffer(.ping, count: 28 * 484 * n), pong = scratch.buffer(.pong, count: 28 * 121 * n)
        conv1.forward(input, n: n, h: 24, w: 24, into: ping, scratch: scratch)        // 28 x 22 x 22
        pool1.forward(ping, planes: 28 * n, h: 22, w: 22, into: pong)                 // 28 x 11 x 11
        conv2.forward(pong, n: n, h: 11, w: 11, into: ping, scratch: scratch)         // 48 x 9 x 9
        pool2.forward(ping, planes: 48 * n, h: 9, w: 9, into: pong)                   // 48 x 4 x 4
        conv3.forward(pong, n: n, h: 4, w: 4, into: ping, scratch: scratch)           // 64 x 3 x 3
        samplesFirst(ping, channels: 64, n: n, plane: 9, into: pong)                  // n x 576
        fc4.forward(pong, n: n, into: ping)                                           // n x 128
        heads.forward(ping, n: n, into: pong)                                         // n x 6
        return UnsafePointer(pong)
    }
}

/// O-Net: scores 48x48 patches, regresses their boxes and predicts five landmarks.
struct ONet: Sendable {
    let conv1: MTCNNConvLayer, pool1: MTCNNMaxPool
    let conv2: MTCNNConvLayer, pool2: MTCNNMaxPool
    let conv3: MTCNNConvLayer, pool3: MTCNNMaxPool
    let conv4: MTCNNConvLayer
    let fc5: MTCNNDenseLayer
    /// fc6-1 (4 box offsets), fc6-2 (5 landmark x then 5 y) and fc6-3 (2 class logits) stacked.
    let heads: MTCNNDenseLayer

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "onet")
        conv1 = MTCNNConvLayer(try r.conv("conv1", out: 32, in: 3, kernel: 3), prelu: try r.prelu("prelu1", channels: 32))
        pool1 = MTCNNMaxPool(kernel: 3, stride: 2, padding: .same)
        conv2 = MTCNNConvLayer(try r.conv("conv2", out: 64, in: 32, kernel: 3), prelu: try r.prelu("prelu2", channels: 64))
        pool2 = MTCNNMaxPool(kernel: 3, stride: 2, padding: .valid)
        conv3 = MTCNNConvLayer(try r.conv("conv3", out: 64, in: 64, kernel: 3), prelu: try r.prelu("prelu3", channels: 64))
        pool3 = MTCNNMaxPool(kernel: 2, stride: 2, padding: .same)
        conv4 = MTCNNConvLayer(try r.conv("conv4", out: 128, in: 64, kernel: 2), prelu: try r.prelu("prelu4", channels: 128))
        fc5 = MTCNNDenseLayer(Dense(weights: try model.tensor("onet.fc5.weight", shape: [256, 1152]),
                                    bias: try model.tensor("onet.fc5.bias", shape: [256]), outputs: 256, inputs: 1152),
                              prelu: try r.prelu("prelu5", channels: 256))
        heads = MTCNNDenseLayer(try r.stackedDense([("fc6_1", 4), ("fc6_2", 10), ("fc6_3", 2)], inputs: 256), prelu: nil)
    }

    /// Runs the network on `n` patches in `scratch`'s input slot (`[3][n][48][48]`); returns
    /// `[n][16]` (4 box offsets, 10 landmark values, the two logits), valid until the scratch is reused.
    func forward(n: Int, scratch: MTCNNScratch) -> UnsafePointer<Float> {
        let input = scratch.buffer(.input, count: 3 * 2304 * n)
        let ping = scratch.buffer(.ping, count: 32 * 2116 * n), pong = scratch.buffer(.pong, count: 32 * 529 * n)
        conv1.forward(input, n: n, h: 48, w: 48, into: ping, scratch: scratch)        // 32 x 46 x 46
        pool1.forward(ping, planes: 32 * n, h: 46, w: 46, into: pong)                 // 32 x 23 x 23
        conv2.forward(pong, n: n, h: 23, w: 23, into: ping, scratch: scratch)         // 64 x 21 x 21
        pool2.forward(ping, planes: 64 * n, h: 21, w: 21, into: pong)                 // 64 x 10 x 10
        conv3.forward(pong, n: n, h: 10, w: 10, into: ping, scratch: scratch)         // 64 x 8 x 8
        pool3.forward(ping, planes: 64 * n, h: 8, w: 8, into: pong)                   // 64 x 4 x 4
        conv4.forward(pong, n: n, h: 4, w: 4, into: ping, scratch: scratch)           // 128 x 3 x 3
        samplesFirst(ping, channels: 128, n: n, plane: 9, into: pong)                 // n x 1152
        fc5.forward(pong, n: n, into: ping)                                           // n x 256
        heads.forward(ping, n: n, into: pong)                                         // n x 16
        return UnsafePointer(pong)
    }
}
