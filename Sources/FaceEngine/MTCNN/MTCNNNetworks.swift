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

    /// A dense layer followed by its PReLU (R-Net's fc4 + prelu4, O-Net's fc5 + prelu5).
    func densePReLU(_ name: String, _ prelu: String, out: Int, in inputs: Int) throws -> MTCNNDenseLayer {
        MTCNNDenseLayer(Dense(weights: try model.tensor("\(net).\(name).weight", shape: [out, inputs]),
                              bias: try model.tensor("\(net).\(name).bias", shape: [out]), outputs: out, inputs: inputs),
                        prelu: try self.prelu(prelu, channels: out))
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

/// Which network a compiled chain belongs to (chains are cached per network and input shape).
enum MTCNNNetwork: Int {
    case pnet, rnet, onet
}

/// A valid, stride-1 MTCNN convolution with its PReLU, as a chain layer.
private func convPReLU(_ r: MTCNNLayerReader, _ conv: String, _ prelu: String,
                       out: Int, in inputs: Int, kernel: Int) throws -> DNNLLayer {
    .convolution(try r.conv(conv, out: out, in: inputs, kernel: kernel),
                 .prelu(try r.prelu(prelu, channels: out).alpha))
}

/// A max pool as MTCNN's Keras layers define it (square window, "same" or "valid").
private func maxPool(_ kernel: Int, _ stride: Int, _ padding: SpatialPadding) -> DNNLLayer {
    .maxPool(PoolWindow(kernelH: kernel, kernelW: kernel, strideY: stride, strideX: stride, padding: padding))
}

/// P-Net: a fully convolutional 12x12-window face scorer with box regression. Its convolutions and
/// pool run as one oneDNN chain per input shape.
struct PNet: Sendable {
    /// conv1 + PReLU, pool 2x2/2 same, conv2 + PReLU, conv3 + PReLU, then conv4-1 (4 box offsets)
    /// and conv4-2 (2 class logits) as one 6-channel 1x1 convolution.
    let layers: [DNNLLayer]

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "pnet")
        layers = [
            try convPReLU(r, "conv1", "prelu1", out: 10, in: 3, kernel: 3),
            maxPool(2, 2, .same),
            try convPReLU(r, "conv2", "prelu2", out: 16, in: 10, kernel: 3),
            try convPReLU(r, "conv3", "prelu3", out: 32, in: 16, kernel: 3),
            .convolution(try r.stackedPointwise([("conv4_1", 4), ("conv4_2", 2)], inputs: 32), .linear),
        ]
    }

    /// Output map rows for an input of `h` rows (columns alike).
    static func outputSize(_ h: Int) -> Int { max(0, (h - 1) / 2 - 4) }

    /// Runs the network on `input` (`3 x h x w`, not in the ping slot); the result, in `scratch`'s
    /// ping slot, has 6 planes of `outputSize(h) x outputSize(w)`: offsets x1, y1, x2, y2 and the
    /// two logits.
    func forward(h: Int, w: Int, input: UnsafePointer<Float>, scratch: MTCNNScratch) throws -> UnsafePointer<Float> {
        let chain = try scratch.chain(.pnet, layers: layers, n: 1, c: 3, h: h, w: w)
        let out = scratch.buffer(.ping, count: chain.outputCount)
        try scratch.chains.run(chain, input, into: out)
        return UnsafePointer(out)
    }
}

/// R-Net and O-Net: a convolutional chain over square patches whose output rows feed a dense
/// layer with PReLU, then the stacked heads.
struct PatchNetwork: Sendable {
    let network: MTCNNNetwork
    /// Patch side in pixels.
    let size: Int
    let layers: [DNNLLayer]
    let hidden: MTCNNDenseLayer
    let heads: MTCNNDenseLayer

    /// Runs the network on `slots` patches in `scratch`'s input slot (`[slots][3][size][size]`, see
    /// `RefineStage.slots`), of which the first `n` are real; returns `[n][heads.outputs]`, valid
    /// until the scratch is reused.
    func forward(n: Int, slots: Int, scratch: MTCNNScratch) throws -> UnsafePointer<Float> {
        let chain = try scratch.chain(network, layers: layers, n: slots, c: 3, h: size, w: size)
        let input = scratch.buffer(.input, count: 3 * size * size * slots)
        let ping = scratch.buffer(.ping, count: max(chain.outputCount, heads.outputs * slots))
        let pong = scratch.buffer(.pong, count: hidden.outputs * slots)
        try scratch.chains.run(chain, input, into: ping)        // the chain's output rows are the dense input
        hidden.forward(ping, n: n, into: pong)
        heads.forward(pong, n: n, into: ping)
        return UnsafePointer(ping)
    }

    /// R-Net: refines 24x24 candidate patches; outputs per patch the box offsets x1, y1, x2, y2 and
    /// the two logits. conv1 + PReLU, pool 3x3/2 same, conv2 + PReLU, pool 3x3/2 valid, conv3 (2x2)
    /// + PReLU, fc4 + PReLU, then fc5-1 (4 box offsets) and fc5-2 (2 class logits) stacked.
    static func rnet(_ model: ModelFile) throws -> PatchNetwork {
        let r = MTCNNLayerReader(model: model, net: "rnet")
        return PatchNetwork(
            network: .rnet, size: 24,
            layers: [
                try convPReLU(r, "conv1", "prelu1", out: 28, in: 3, kernel: 3),
                maxPool(3, 2, .same),
                try convPReLU(r, "conv2", "prelu2", out: 48, in: 28, kernel: 3),
                maxPool(3, 2, .valid),
                try convPReLU(r, "conv3", "prelu3", out: 64, in: 48, kernel: 2),
            ],
            hidden: try r.densePReLU("fc4", "prelu4", out: 128, in: 576),
            heads: MTCNNDenseLayer(try r.stackedDense([("fc5_1", 4), ("fc5_2", 2)], inputs: 128), prelu: nil))
    }

    /// O-Net: scores 48x48 patches, regresses their boxes and predicts five landmarks; outputs per
    /// patch 4 box offsets, 10 landmark values (5 x then 5 y) and the two logits. conv1 + PReLU,
    /// pool 3x3/2 same, conv2 + PReLU, pool 3x3/2 valid, conv3 + PReLU, pool 2x2/2 same, conv4 (2x2)
    /// + PReLU, fc5 + PReLU, then fc6-1, fc6-2 and fc6-3 stacked.
    static func onet(_ model: ModelFile) throws -> PatchNetwork {
        let r = MTCNNLayerReader(model: model, net: "onet")
        return PatchNetwork(
            network: .onet, size: 48,
            layers: [
                try convPReLU(r, "conv1", "prelu1", out: 32, in: 3, kernel: 3),
                maxPool(3, 2, .same),
                try convPReLU(r, "conv2", "prelu2", out: 64, in: 32, kernel: 3),
                maxPool(3, 2, .valid),
                try convPReLU(r, "conv3", "prelu3", out: 64, in: 64, kernel: 3),
                maxPool(2, 2, .same),
                try convPReLU(r, "conv4", "prelu4", out: 128, in: 64, kernel: 2),
            ],
            hidden: try r.densePReLU("fc5", "prelu5", out: 256, in: 1152),
            heads: MTCNNDenseLayer(try r.stackedDense([("fc6_1", 4), ("fc6_2", 10), ("fc6_3", 2)], inputs: 256), prelu: nil))
    }
}
