/// A batch of feature maps in NCHW order (sample, channel, row, column), float32, stored
/// contiguously so that a whole batch can be handed to one `cblas_sgemm` call.
public struct Tensor: Sendable, Equatable {
    /// Number of samples in the batch.
    public let n: Int
    /// Channels per sample.
    public let c: Int
    /// Rows per channel.
    public let h: Int
    /// Columns per channel.
    public let w: Int
    /// `n * c * h * w` values; element (i, k, y, x) is at `((i * c + k) * h + y) * w + x`.
    public var data: [Float]

    /// A zero-filled tensor.
    public init(n: Int, c: Int, h: Int, w: Int) {
        precondition(n >= 0 && c >= 0 && h >= 0 && w >= 0, "tensor dimensions must not be negative")
        self.n = n
        self.c = c
        self.h = h
        self.w = w
        self.data = [Float](repeating: 0, count: n * c * h * w)
    }

    /// A tensor the caller overwrites completely before reading it (kernel outputs: no zero-fill).
    init(uninitializedN n: Int, c: Int, h: Int, w: Int) {
        precondition(n >= 0 && c >= 0 && h >= 0 && w >= 0, "tensor dimensions must not be negative")
        self.n = n
        self.c = c
        self.h = h
        self.w = w
        let count = n * c * h * w
        self.data = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Wraps existing values; the count must match the shape.
    public init(n: Int, c: Int, h: Int, w: Int, data: [Float]) {
        precondition(n >= 0 && c >= 0 && h >= 0 && w >= 0, "tensor dimensions must not be negative")
        precondition(data.count == n * c * h * w, "tensor data count \(data.count) does not match \(n)x\(c)x\(h)x\(w)")
        self.n = n
        self.c = c
        self.h = h
        self.w = w
        self.data = data
    }

    /// Total number of values.
    @inlinable public var count: Int { n * c * h * w }
    /// Values per sample (`c * h * w`).
    @inlinable public var sampleSize: Int { c * h * w }
    /// Values per channel plane (`h * w`).
    @inlinable public var planeSize: Int { h * w }
    /// The shape as `[n, c, h, w]`.
    public var shape: [Int] { [n, c, h, w] }

    /// Element (sample, channel, row, column).
    @inlinable
    public subscript(i: Int, k: Int, y: Int, x: Int) -> Float {
        get { data[((i * c + k) * h + y) * w + x] }
        set { data[((i * c + k) * h + y) * w + x] = newValue }
    }

    /// The same values viewed with another shape of equal size (e.g. flattening before `Dense`).
    public func reshaped(n: Int, c: Int, h: Int, w: Int) -> Tensor {
        Tensor(n: n, c: c, h: h, w: w, data: data)
    }

    /// Samples `range` of the batch as a new tensor.
    public func samples(_ range: Range<Int>) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= n, "sample range out of bounds")
        let s = sampleSize
        return Tensor(n: range.count, c: c, h: h, w: w,
                      data: Array(data[(range.lowerBound * s)..<(range.upperBound * s)]))
    }

    /// Concatenates tensors of equal per-sample shape along the batch axis.
    public static func batch(_ parts: [Tensor]) -> Tensor {
        guard let first = parts.first else { return Tensor(n: 0, c: 0, h: 0, w: 0) }
        var values = [Float]()
        values.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts {
            precondition(p.c == first.c && p.h == first.h && p.w == first.w, "batched tensors must share c, h, w")
            values.append(contentsOf: p.data)
        }
        return Tensor(n: parts.reduce(0) { $0 + $1.n }, c: first.c, h: first.h, w: first.w, data: values)
    }
}
