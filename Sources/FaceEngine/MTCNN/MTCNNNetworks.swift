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
    let conv1: Conv2D, prelu1: PReLU, pool1: MaxPool2D
    let conv2: Conv2D, prelu2: PReLU
    let conv3: Conv2D, prelu3: PReLU
    /// conv4-1 (4 box offsets) and conv4-2 (2 class logits) as one 6-channel 1x1 convolution.
    let heads: Conv2D

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "pnet")
        conv1 = try r.conv("conv1", out: 10, in: 3, kernel: 3)
        prelu1 = try r.prelu("prelu1", channels: 10)
        pool1 = MaxPool2D(kernelH: 2, kernelW: 2, strideY: 2, strideX: 2, padding: .same)
        conv2 = try r.conv("conv2", out: 16, in: 10, kernel: 3)
        prelu2 = try r.prelu("prelu2", channels: 16)
        conv3 = try r.conv("conv3", out: 32, in: 16, kernel: 3)
        prelu3 = try r.prelu("prelu3", channels: 32)
        heads = try r.stackedPointwise([("conv4_1", 4), ("conv4_2", 2)], inputs: 32)
    }

    /// Output map rows for an input of `h` rows (columns alike).
    static func outputSize(_ h: Int) -> Int { max(0, (h - 1) / 2 - 4) }

    /// Runs the network; the result has 6 channels: offsets x1, y1, x2, y2 and the two logits.
    func forward(_ input: Tensor) -> Tensor {
        var x = conv1.forward(input)
        prelu1.apply(&x)
        x = pool1.forward(x)
        x = conv2.forward(x)
        prelu2.apply(&x)
        x = conv3.forward(x)
        prelu3.apply(&x)
        return heads.forward(x)
    }
}

/// R-Net: refines 24x24 candidate patches (score and box offsets).
struct RNet: Sendable {
    let conv1: Conv2D, prelu1: PReLU, pool1: MaxPool2D
    let conv2: Conv2D, prelu2: PReLU, pool2: MaxPool2D
    let conv3: Conv2D, prelu3: PReLU
    let fc4: Dense, prelu4: PReLU
    /// fc5-1 (4 box offsets) and fc5-2 (2 class logits) stacked.
    let heads: Dense

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "rnet")
        conv1 = try r.conv("conv1", out: 28, in: 3, kernel: 3)
        prelu1 = try r.prelu("prelu1", channels: 28)
        pool1 = MaxPool2D(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: .same)
        conv2 = try r.conv("conv2", out: 48, in: 28, kernel: 3)
        prelu2 = try r.prelu("prelu2", channels: 48)
        pool2 = MaxPool2D(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: .valid)
        conv3 = try r.conv("conv3", out: 64, in: 48, kernel: 2)
        prelu3 = try r.prelu("prelu3", channels: 64)
        fc4 = Dense(weights: try model.tensor("rnet.fc4.weight", shape: [128, 576]),
                    bias: try model.tensor("rnet.fc4.bias", shape: [128]), outputs: 128, inputs: 576)
        prelu4 = try r.prelu("prelu4", channels: 128)
        heads = try r.stackedDense([("fc5_1", 4), ("fc5_2", 2)], inputs: 128)
    }

    /// Runs the network on `n x 3 x 24 x 24` patches; each sample's 6 outputs are the offsets x1,
    /// y1, x2, y2 and the two logits.
    func forward(_ input: Tensor) -> Tensor {
        var x = conv1.forward(input)
        prelu1.apply(&x)
        x = pool1.forward(x)
        x = conv2.forward(x)
        prelu2.apply(&x)
        x = pool2.forward(x)
        x = conv3.forward(x)
        prelu3.apply(&x)
        x = fc4.forward(x)
        prelu4.apply(&x)
        return heads.forward(x)
    }
}

/// O-Net: scores 48x48 patches, regresses their boxes and predicts five landmarks.
struct ONet: Sendable {
    let conv1: Conv2D, prelu1: PReLU, pool1: MaxPool2D
    let conv2: Conv2D, prelu2: PReLU, pool2: MaxPool2D
    let conv3: Conv2D, prelu3: PReLU, pool3: MaxPool2D
    let conv4: Conv2D, prelu4: PReLU
    let fc5: Dense, prelu5: PReLU
    /// fc6-1 (4 box offsets), fc6-2 (5 landmark x then 5 y) and fc6-3 (2 class logits) stacked.
    let heads: Dense

    init(_ model: ModelFile) throws {
        let r = MTCNNLayerReader(model: model, net: "onet")
        conv1 = try r.conv("conv1", out: 32, in: 3, kernel: 3)
        prelu1 = try r.prelu("prelu1", channels: 32)
        pool1 = MaxPool2D(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: .same)
        conv2 = try r.conv("conv2", out: 64, in: 32, kernel: 3)
        prelu2 = try r.prelu("prelu2", channels: 64)
        pool2 = MaxPool2D(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: .valid)
        conv3 = try r.conv("conv3", out: 64, in: 64, kernel: 3)
        prelu3 = try r.prelu("prelu3", channels: 64)
        pool3 = MaxPool2D(kernelH: 2, kernelW: 2, strideY: 2, strideX: 2, padding: .same)
        conv4 = try r.conv("conv4", out: 128, in: 64, kernel: 2)
        prelu4 = try r.prelu("prelu4", channels: 128)
        fc5 = Dense(weights: try model.tensor("onet.fc5.weight", shape: [256, 1152]),
                    bias: try model.tensor("onet.fc5.bias", shape: [256]), outputs: 256, inputs: 1152)
        prelu5 = try r.prelu("prelu5", channels: 256)
        heads = try r.stackedDense([("fc6_1", 4), ("fc6_2", 10), ("fc6_3", 2)], inputs: 256)
    }

    /// Runs the network on `n x 3 x 48 x 48` patches; each sample's 16 outputs are 4 box offsets,
    /// 10 landmark values and the two logits.
    func forward(_ input: Tensor) -> Tensor {
        var x = conv1.forward(input)
        prelu1.apply(&x)
        x = pool1.forward(x)
        x = conv2.forward(x)
        prelu2.apply(&x)
        x = pool2.forward(x)
        x = conv3.forward(x)
        prelu3.apply(&x)
        x = pool3.forward(x)
        x = conv4.forward(x)
        prelu4.apply(&x)
        x = fc5.forward(x)
        prelu5.apply(&x)
        return heads.forward(x)
    }
}
