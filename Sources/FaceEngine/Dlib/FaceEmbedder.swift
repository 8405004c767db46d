import Common
import Dispatch

/// dlib's face recognition ResNet (`dlib_face_recognition_resnet_model_v1`, 29 convolutions):
/// a 150x150 RGB chip in, a 128-d descriptor out; faces are compared by euclidean distance
/// (same person below about 0.6). Batched over chips. The value holds read-only weights that
/// copies share, so each worker thread uses its own copy of one loaded embedder.
public struct FaceEmbedder: Sendable {
    /// Chip side in pixels.
    public static let chipSize = 150
    /// Descriptor length.
    public static let dimensions = 128

    struct Block: Sendable {
        let a: Conv2D, b: Conv2D, downsample: Bool
    }

    let mean: (r: Float, g: Float, b: Float)
    let scale: Float
    let conv0: Conv2D
    let blocks: [Block]
    let fc: Dense
    /// SHA-256 of the model file the weights came from (recorded with every embedding).
    public let modelSHA256: String
    /// The convolutions compiled by oneDNN, per layer and batch size; one cache per call in flight,
    /// shared by the copies of this value.
    private let chains = ReusePool(make: { DNNLChainCache(limit: 256) })

    /// dlib's residual stages: filters and whether the block halves the resolution.
    static let architecture: [(filters: Int, downsample: Bool)] =
        [(32, false), (32, false), (32, false), (64, true), (64, false), (64, false), (64, false),
         (128, true), (128, false), (128, false), (256, true), (256, false), (256, false), (256, true)]

    /// Builds the network from the converted model file (`dlib_resnet_v1.fjm`).
    public init(model: ModelFile) throws {
        func number(_ key: String) throws -> Float {
            guard let v = model.meta[key]?.number else {
                throw ModelFileError.badHeader(model.path, "meta.\(key) missing")
            }
            return Float(v)
        }
        mean = (try number("input_mean_r"), try number("input_mean_g"), try number("input_mean_b"))
        scale = try number("input_scale")
        guard scale > 0, try number("input_size") == Float(Self.chipSize) else {
            throw ModelFileError.badHeader(model.path, "unexpected input size or scale")
        }
        func conv(_ name: String, out: Int, in inC: Int, k: Int, stride: Int, pad: Int) throws -> Conv2D {
            Conv2D(weights: try model.tensor(name + ".weight", shape: [out, inC, k, k]),
                   bias: try model.tensor(name + ".bias", shape: [out]),
                   outChannels: out, inChannels: inC, kernelH: k, kernelW: k, strideY: stride, strideX: stride,
                   padding: .symmetric(y: pad, x: pad))
        }
        conv0 = try conv("conv0", out: 32, in: 3, k: 7, stride: 2, pad: 0)
        var blocks = [Block]()
        var channels = 32
        for (i, spec) in Self.architecture.enumerated() {
            // dlib's con_ pads by k/2 only at stride 1.
            let a = try conv("block\(i).a", out: spec.filters, in: channels, k: 3,
                             stride: spec.downsample ? 2 : 1, pad: spec.downsample ? 0 : 1)
            let b = try conv("block\(i).b", out: spec.filters, in: spec.filters, k: 3, stride: 1, pad: 1)
            blocks.append(Block(a: a, b: b, downsample: spec.downsample))
            channels = spec.filters
        }
        self.blocks = blocks
        fc = Dense(weights: try model.tensor("fc.weight", shape: [Self.dimensions, channels]),
                   outputs: Self.dimensions, inputs: channels)
        modelSHA256 = model.sha256
    }

    /// The network input for a batch of chips: `(pixel - mean) / 256` per channel, dlib's
    /// `input_rgb_image_sized` scaling.
    func inputTensor(_ chips: [RGBImage]) -> Tensor {
        let s = Self.chipSize, plane = s * s
        var t = Tensor(n: chips.count, c: 3, h: s, w: s)
        let means = (mean.r, mean.g, mean.b), scale = self.scale
        t.data.withUnsafeMutableBufferPointer { dst in
            for (i, chip) in chips.enumerated() {
                precondition(chip.width == s && chip.height == s, "face chips must be \(s)x\(s)")
                chip.pixels.withUnsafeBufferPointer { src in
                    let r = dst.base + i * 3 * plane, g = r + plane, b = g + plane
                    for y in 0..<s {
                        let row = src.base + y * chip.stride
                        for x in 0..<s {
                            let o = y * s + x
                            r[o] = (Float(row[x * 3]) - means.0) / scale
                            g[o] = (Float(row[x * 3 + 1]) - means.1) / scale
                            b[o] = (Float(row[x * 3 + 2]) - means.2) / scale
                        }
                    }
                }
            }
        }
        return t
    }

    /// Descriptors of `chips` (each 150x150), in order.
    public func embed(_ chips: [RGBImage]) -> [[Float]] {
        guard !chips.isEmpty else { return [] }
        let out = forward(inputTensor(chips), observe: nil)
        return (0..<chips.count).map { Array(out.data[($0 * Self.dimensions)..<(($0 + 1) * Self.dimensions)]) }
    }

    /// Runs the network; `observe` (for profiling) is told each convolution's name, its
    /// multiply-adds for the batch and its wall time in seconds.
    func forward(_ input: Tensor, observe: ((String, Int, Double) -> Void)?) -> Tensor {
        chains.with { forward(input, chains: $0, observe: observe) }
    }

    /// One convolution through oneDNN (`oneDNNConvolution`); falls back to the built-in kernels
    /// (`Conv2D.forward`, equal within float rounding) if oneDNN cannot compile or run it.
    private func convolve(_ index: Int, _ layer: Conv2D, _ x: Tensor, residual: Tensor?, relu: Bool,
                          chains: DNNLChainCache) -> Tensor {
        do {
            return try Self.oneDNNConvolution(index, layer, x, residual: residual, relu: relu, chains: chains)
        } catch {
            return layer.forward(x, residual: residual, relu: relu)
        }
    }

    /// `layer` applied to `x` by a oneDNN chain cached under `index`: its ReLU fused, unless a
    /// residual (of the output's n, h and w, with at most its channels: dlib's `add_prev`) is
    /// added first. oneDNN's direct kernels run these 3x3 layers 1.3-2x faster than the built-in
    /// Winograd and im2col kernels at the job's 1-2 faces per batch (docs/engine.md).
    static func oneDNNConvolution(_ index: Int, _ layer: Conv2D, _ x: Tensor, residual: Tensor?, relu: Bool,
                                  chains: DNNLChainCache) throws -> Tensor {
        let fused = relu && residual == nil
        let key = DNNLChainCache.Key(layers: 2 * index + (fused ? 1 : 0), n: x.n, h: x.h, w: x.w)
        let chain = try chains.chain(key, c: x.c) { [.convolution(layer, fused ? .relu : .linear)] }
        var y = try chains.run(chain, on: x)
        if let residual { join(&y, residual, relu: relu) }
        return y
    }

    /// Adds `residual` onto the first channels of each sample of `y`, then the ReLU.
    static func join(_ y: inout Tensor, _ residual: Tensor, relu: Bool) {
        precondition(residual.n == y.n && residual.h == y.h && residual.w == y.w && residual.c <= y.c, "residual shape")
        let plane = y.h * y.w, span = residual.c * plane
        y.data.withUnsafeMutableBufferPointer { d in
            residual.data.withUnsafeBufferPointer { r in
                for i in 0..<y.n {
                    let out = d.base + i * y.c * plane, add = r.base + i * span
                    for j in 0..<span { out[j] += add[j] }
                }
                if relu {
                    for j in 0..<d.count { d[j] = max(d[j], 0) }
                }
            }
        }
    }

    /// The network up to its global pool as layers of one oneDNN chain: conv0 + ReLU, the max
    /// pool, then per block: keep the input, conv a + ReLU, conv b + the shortcut (average-pooled
    /// in a downsampling block) + ReLU. The activations stay in oneDNN's layouts from the chip to
    /// the last block, and each residual is added by the convolution itself (a sum onto its
    /// output prefilled with the shortcut).
    var network: [DNNLLayer] {
        var layers: [DNNLLayer] = [
            .convolution(conv0, .relu),
            .maxPool(PoolWindow(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: .symmetric(y: 0, x: 0))),
        ]
        for block in blocks {
            layers += [.saveShortcut, .convolution(block.a, .relu),
                       .residualConvolution(block.b, .relu, pool: block.downsample ? 2 : nil)]
        }
        return layers
    }

    /// The descriptors of `input` through `network` as one chain; throws if oneDNN cannot compile it.
    func networkForward(_ input: Tensor) throws -> Tensor {
        try chains.with { head(try networkForward(input, chains: $0)) }
    }

    /// `network` run as one chain (cached per batch size under layer key 0; the per-layer chains
    /// use 2 and up).
    private func networkForward(_ input: Tensor, chains: DNNLChainCache) throws -> Tensor {
        let key = DNNLChainCache.Key(layers: 0, n: input.n, h: input.h, w: input.w)
        return try chains.run(try chains.chain(key, c: input.c) { network }, on: input)
    }

    /// The descriptors from the last block's activations: global average pool, then the dense layer.
    /// The pool and the dense layer, one sample at a time: a face's descriptor must not depend on
    /// the faces it is embedded with (a resumed job reproduces every hit; enrolment and search
    /// embed the same photo alike), and the dense layer's sgemm is the one step whose summation
    /// order can follow the batch size (see `Dense.forward`).
    private func head(_ x: Tensor) -> Tensor { fc.forward(GlobalAvgPool().forward(x), eachSampleAlone: true) }

    private func forward(_ input: Tensor, chains: DNNLChainCache, observe: ((String, Int, Double) -> Void)?) -> Tensor {
        // One chain for the whole network; layer by layer when profiling (each layer timed) or
        // if oneDNN cannot compile it.
        if observe == nil, let x = try? networkForward(input, chains: chains) { return head(x) }
        // Each convolution finishes its own output: ReLU after conv0 and every block's first
        // convolution, the residual join and ReLU after its second one.
        var index = 0
        func conv(_ name: String, _ layer: Conv2D, _ x: Tensor, residual: Tensor? = nil, relu: Bool = true) -> Tensor {
            index += 1
            let start = DispatchTime.now().uptimeNanoseconds
            let y = convolve(index, layer, x, residual: residual, relu: relu, chains: chains)
            observe?(name, layer.multiplyAdds(h: x.h, w: x.w) * x.n,
                     Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            return y
        }
        let relu = ReLU(), add = ResidualAdd()
        var x = conv("conv0", conv0, input)
        x = MaxPool2D(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: .symmetric(y: 0, x: 0)).forward(x)
        let shortcutPool = AvgPool2D(kernelH: 2, kernelW: 2, strideY: 2, strideX: 2, padding: .symmetric(y: 0, x: 0))
        for (i, block) in blocks.enumerated() {
            let y = conv("block\(i).a", block.a, x)
            let shortcut = block.downsample ? shortcutPool.forward(x) : x
            let g = block.b.geometry(h: y.h, w: y.w)
            if shortcut.n == y.n, shortcut.h == g.h, shortcut.w == g.w, shortcut.c <= block.b.outChannels {
                x = conv("block\(i).b", block.b, y, residual: shortcut)
            } else {
                // dlib's add_prev onto a larger shortcut (the 3x3 output of block 10 meets a 4x4
                // pooled shortcut): zero-extend, then ReLU.
                let z = conv("block\(i).b", block.b, y, relu: false)
                x = add.forward(z, shortcut)
                relu.apply(&x)
            }
        }
        return head(x)
    }
}
