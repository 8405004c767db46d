import CDNNL
import Common

/// What a convolution of a `DNNLChain` applies after its bias.
enum DNNLActivation: Sendable {
    case linear
    /// Per output channel slopes.
    case prelu([Float])
    case relu
}

/// One layer of a `DNNLChain`.
enum DNNLLayer: Sendable {
    case convolution(Conv2D, DNNLActivation)
    /// Windows clipped to the input: padding never wins.
    case maxPool(PoolWindow)
    /// An activation on its own, in place.
    case activation(DNNLActivation)
    /// Remembers the activations here as the next residual convolution's shortcut.
    case saveShortcut
    /// A convolution whose output gets the saved shortcut added (average-pooled first over
    /// `pool` x `pool` windows with stride `pool`, if given) before its activation: dlib's
    /// `add_prev`, whose sum has the larger size along every axis, the rest of either side zero.
    case residualConvolution(Conv2D, DNNLActivation, pool: Int?)

    /// The same computation with every activation that a max pool follows moved behind the pool.
    /// ReLU and PReLU with non-negative slopes never decrease, so the largest value of a window
    /// is still the largest after them: the results are identical, and the activation touches a
    /// quarter (2x2/2) or less of the values.
    static func poolingFirst(_ layers: [DNNLLayer]) -> [DNNLLayer] {
        var out = [DNNLLayer]()
        var i = 0
        while i < layers.count {
            if case .convolution(let conv, let activation) = layers[i], i + 1 < layers.count,
               case .maxPool = layers[i + 1], activation.isNonDecreasing {
                out += [.convolution(conv, .linear), layers[i + 1], .activation(activation)]
                i += 2
            } else {
                out.append(layers[i])
                i += 1
            }
        }
        return out
    }
}

extension DNNLActivation {
    /// Whether the activation commutes with a max pool (and is not the identity).
    var isNonDecreasing: Bool {
        switch self {
        case .linear: return false
        case .relu: return true
        case .prelu(let slopes): return slopes.allSatisfy { $0 >= 0 }
        }
    }
}

/// oneDNN refused to compile or run a chain (out of memory, or a shape it cannot take).
public struct KernelLibraryError: UserFacingError {
    public let message: String
    public var description: String { "the convolution library (oneDNN) failed: \(message)" }
    public var exitStatus: ExitStatus { .unavailable }
}

/// Convolutions and max pools compiled by oneDNN for one input shape, run as many times as needed.
///
/// oneDNN's just-in-time kernels read and write activations in blocked layouts (16 channels per
/// vector on AVX-512); between the layers of a chain the activations stay blocked, so only the
/// chain's input and output are plain NCHW. On MTCNN's shapes this runs the convolutions 2-5x
/// faster than im2col + OpenBLAS sgemm (see docs/detection.md). A chain is used by one thread at a
/// time; oneDNN runs on the calling thread only.
final class DNNLChain {
    private let handle: OpaquePointer
    /// The output's shape (dense NCHW).
    let outputShape: (n: Int, c: Int, h: Int, w: Int)
    /// Floats of workspace `run` needs for the intermediate activations.
    let workspaceFloats: Int

    var outputCount: Int { outputShape.n * outputShape.c * outputShape.h * outputShape.w }

    /// The kernels oneDNN chose, layer by layer (for profiles and tests).
    var kernels: String { String(cString: cdnnl_chain_kernels(handle)) }

    /// Compiles `layers` for an input of `n x c x h x w`.
    init(_ layers: [DNNLLayer], n: Int, c: Int, h: Int, w: Int) throws {
        var described = [cdnnl_layer]()
        // The arrays each layer's pointers are set from (after the loop, while pinned): weights and
        // bias of a convolution, slopes of a PReLU.
        var arrays = [[Float]]()
        var pointers = [(layer: Int, weights: Int?, bias: Int?, slopes: Int?)]()
        func hold(_ values: [Float]) -> Int {
            arrays.append(values)
            return arrays.count - 1
        }
        var shape = (c: c, h: h, w: w)
        // The activation of the layer about to be described, over `channels` channels.
        func setActivation(_ activation: DNNLActivation, channels: Int, _ d: inout cdnnl_layer) throws {
            switch activation {
            case .linear: d.activation = CDNNL_LINEAR
            case .relu: d.activation = CDNNL_RELU
            case .prelu(let slopes):
                guard slopes.count == channels else {
                    throw KernelLibraryError(message: "\(slopes.count) PReLU slopes for \(channels) channels")
                }
                d.activation = CDNNL_PRELU
                pointers.append((described.count, nil, nil, hold(slopes)))
            }
        }
        // The shape a `saveShortcut` remembered.
        var saved: (c: Int, h: Int, w: Int)?
        for layer in DNNLLayer.poolingFirst(layers) {
            var d = cdnnl_layer()
            let window: (h: Int, w: Int, padTop: Int, padLeft: Int)
            let kernel: (h: Int, w: Int), stride: (y: Int, x: Int)
            // The shortcut a residual convolution adds, pooled as it will be.
            var shortcut: (c: Int, h: Int, w: Int)?
            switch layer {
            case .saveShortcut:
                d.kind = CDNNL_SAVE
                described.append(d)
                saved = shape
                continue
            case .convolution(let conv, let activation), .residualConvolution(let conv, let activation, _):
                if case .residualConvolution(_, _, let pool) = layer {
                    guard let s = saved else { throw KernelLibraryError(message: "a residual without a saved shortcut") }
                    d.residual = pool == nil ? CDNNL_RESIDUAL : CDNNL_POOLED_RESIDUAL
                    d.residual_pool = Int32(pool ?? 0)
                    if let k = pool {
                        guard k > 0, s.h >= k, s.w >= k else { throw KernelLibraryError(message: "a shortcut smaller than its pool") }
                        shortcut = (s.c, (s.h - k) / k + 1, (s.w - k) / k + 1)
                    } else {
                        shortcut = s
                    }
                }
                guard conv.inChannels == shape.c else {
                    throw KernelLibraryError(message: "a convolution over \(conv.inChannels) channels gets \(shape.c)")
                }
                window = conv.geometry(h: shape.h, w: shape.w)
                kernel = (conv.kernelH, conv.kernelW)
                stride = (conv.strideY, conv.strideX)
                d.kind = CDNNL_CONVOLUTION
                d.out_channels = Int32(conv.outChannels)
                d.weights_key = conv.weightsKey
                pointers.append((described.count, hold(conv.weights), hold(conv.bias), nil))
                try setActivation(activation, channels: conv.outChannels, &d)
                shape.c = conv.outChannels
            case .maxPool(let pool):
                window = pool.geometry(h: shape.h, w: shape.w)
                kernel = (pool.kernelH, pool.kernelW)
                stride = (pool.strideY, pool.strideX)
                d.kind = CDNNL_MAX_POOL
            case .activation(let activation):
                d.kind = CDNNL_ACTIVATION_LAYER
                try setActivation(activation, channels: shape.c, &d)
                described.append(d)
                continue
            }
            guard window.h > 0, window.w > 0 else {
                throw KernelLibraryError(message: "an input of \(shape.h)x\(shape.w) is smaller than a \(kernel.h)x\(kernel.w) window")
            }
            // oneDNN sizes the output as (in + before + after - kernel) / stride + 1.
            let padBottom = max(0, (window.h - 1) * stride.y + kernel.h - shape.h - window.padTop)
            let padRight = max(0, (window.w - 1) * stride.x + kernel.w - shape.w - window.padLeft)
            d.kernel_h = Int32(kernel.h); d.kernel_w = Int32(kernel.w)
            d.stride_h = Int32(stride.y); d.stride_w = Int32(stride.x)
            d.pad_top = Int32(window.padTop); d.pad_left = Int32(window.padLeft)
            d.pad_bottom = Int32(padBottom); d.pad_right = Int32(padRight)
            described.append(d)
            shape.h = window.h
            shape.w = window.w
            if let s = shortcut { shape = (max(shape.c, s.c), max(shape.h, s.h), max(shape.w, s.w)) }
        }
        var chain: OpaquePointer?
        // oneDNN reads the values during creation only (and a layer's weights only once per key).
        let status = Self.pinned(arrays) { base in
            for p in pointers {
                if let i = p.weights { described[p.layer].weights = base[i] }
                if let i = p.bias { described[p.layer].bias = base[i] }
                if let i = p.slopes { described[p.layer].slopes = base[i] }
            }
            return cdnnl_chain_create(&chain, described, Int32(described.count), Int32(n), Int32(c), Int32(h), Int32(w))
        }
        guard status == CDNNL_OK, let chain else {
            throw KernelLibraryError(message: String(cString: cdnnl_last_error()))
        }
        var dims = [Int64](repeating: 0, count: 4)
        cdnnl_chain_output(chain, &dims)
        // The layer arithmetic above and oneDNN's must agree.
        guard dims == [Int64(n), Int64(shape.c), Int64(shape.h), Int64(shape.w)] else {
            cdnnl_chain_free(chain)
            throw KernelLibraryError(message: "oneDNN computed an output of \(dims), expected \([n, shape.c, shape.h, shape.w])")
        }
        handle = chain
        outputShape = (n, shape.c, shape.h, shape.w)
        workspaceFloats = (cdnnl_chain_workspace(chain) + 3) / 4
    }

    deinit { cdnnl_chain_free(handle) }

    /// Calls `body` with the base address of every array, all valid for the call.
    private static func pinned<R>(_ arrays: [[Float]], _ body: ([UnsafePointer<Float>?]) -> R) -> R {
        func pin(_ i: Int, _ bases: [UnsafePointer<Float>?]) -> R {
            guard i < arrays.count else { return body(bases) }
            return arrays[i].withUnsafeBufferPointer { pin(i + 1, bases + [$0.baseAddress]) }
        }
        return pin(0, [])
    }

    /// Runs the chain from `src` (dense NCHW) into `dst` (`outputCount` floats, dense NCHW), with
    /// `workspace` holding at least `workspaceFloats` floats.
    func run(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
             workspace: UnsafeMutablePointer<Float>) throws {
        guard cdnnl_chain_run(handle, src, dst, workspace) == CDNNL_OK else {
            throw KernelLibraryError(message: String(cString: cdnnl_last_error()))
        }
    }
}

/// The library the detector's and the embedder's convolutions run on.
public enum ConvolutionLibrary {
    /// oneDNN's version and the instruction set its kernels use, e.g. "2.6.3, avx512_core_bf16 kernels".
    public static var version: String { "\(String(cString: cdnnl_version())), \(String(cString: cdnnl_isa())) kernels" }
}
