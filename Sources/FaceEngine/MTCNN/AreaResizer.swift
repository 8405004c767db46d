import Common

/// TensorFlow's `ResizeArea` (align_corners false), the resampling `tf.image.resize(method=AREA)`
/// uses and so the one the `mtcnn` package builds its pyramid with: each output pixel is the
/// area-weighted mean of the source pixels its footprint covers. The arithmetic (float32, the same
/// order of sums, the same edge clamping) follows TensorFlow's kernel so that levels match it to the
/// last bit where possible.
struct AreaResizer {
    /// Source columns (or rows) feeding one output column (or row) and the weights of the two ends.
    struct Span {
        var start: Int
        var end: Int
        var startWeight: Float
        var lastWeight: Float
    }

    let sourceWidth: Int
    let sourceHeight: Int
    let width: Int
    let height: Int
    private let xScale: Float
    /// Source rows per output row.
    let yScale: Float
    /// What each output value is multiplied by last: one over the footprint's area.
    let normaliser: Float
    /// The source columns of each output column.
    let xSpans: [Span]
    /// Cells past the end of a source row that the last spans reach (float rounding of
    /// `width * scale`; spans never start before the row). TensorFlow clamps them to the last
    /// pixel, so the mapped row repeats its last pixel there and the sums read it unclamped.
    let overhang: Int

    init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && width > 0 && height > 0, "resize sizes must be positive")
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.width = width
        self.height = height
        xScale = Float(sourceWidth) / Float(width)
        yScale = Float(sourceHeight) / Float(height)
        // TensorFlow divides in double and stores the result as float.
        normaliser = Float(1.0 / Double(yScale * xScale))
        let xs = xScale
        xSpans = (0..<width).map { AreaResizer.span($0, scale: xs) }
        overhang = max(0, (xSpans.map(\.end).max() ?? 0) - sourceWidth)
    }

    /// The source span of output index `i`, as TensorFlow's kernel computes it.
    static func span(_ i: Int, scale: Float) -> Span {
        let lo = Float(i) * scale
        let hi = Float(i + 1) * scale
        let start = Int(lo.rounded(.down))
        let end = Int(hi.rounded(.up))
        return Span(start: start, end: end, startWeight: weight(start, lo, hi, scale),
                    lastWeight: weight(end - 1, lo, hi, scale))
    }

    /// How much of source cell `v` lies inside [lo, hi).
    @inline(__always)
    static func weight(_ v: Int, _ lo: Float, _ hi: Float, _ scale: Float) -> Float {
        let fv = Float(v)
        if fv < lo {
            return fv + 1 > hi ? scale : fv + 1 - lo
        }
        return fv + 1 > hi ? hi - fv : 1
    }

    /// Resizes output rows `rows` of `image`, each source byte first mapped through `lut`, into three
    /// planes: channel `c`, row `y` goes to `out[c * planeStride + (y - rows.lowerBound) * width]`.
    ///
    /// TensorFlow sums each output pixel as `sum over source rows k of (weighted sum over the
    /// row's source columns) * rowWeight[k]`. The inner, per-row sum depends only on the source row
    /// and the output column, so it is computed once per source row, just before the first output
    /// row that needs it, and kept while the next output row may still need it (consecutive spans
    /// share at most their boundary row); the outer sum then runs over whole rows in the same
    /// order, so every value keeps TensorFlow's rounding. Only two rows of sums are held, so they
    /// stay in the core's cache however large the band.
    func resize(_ image: RGBImage, lut: UnsafePointer<Float>, rows: Range<Int>,
                into out: UnsafeMutablePointer<Float>, planeStride: Int) {
        guard !rows.isEmpty else { return }
        // Two rows of sums, planar: [channel][column]; slot `k & 1` holds source row k.
        let rowFloats = 3 * width
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: 2 * rowFloats)
        var held = [-1, -1]
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: rowFloats)
        // One source row through the LUT, interleaved RGB, its last pixel repeated over the
        // overhang, plus one lane so 4-wide loads of the last pixel stay inside.
        let cells = 3 * sourceWidth
        let mapped = UnsafeMutablePointer<Float>.allocate(capacity: cells + 3 * overhang + 1)
        mapped[cells + 3 * overhang] = 0
        defer { sums.deallocate(); acc.deallocate(); mapped.deallocate() }
        let affine = AreaResizer.affine(lut)
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            xSpans.withUnsafeBufferPointer { spans in
                // The sums of source row `sy` (clamped into the image), computed on first use.
                func sumsOf(_ sy: Int) -> UnsafePointer<Float> {
                    let into = sums + (sy & 1) * rowFloats
                    if held[sy & 1] == sy { return UnsafePointer(into) }
                    held[sy & 1] = sy
                    AreaResizer.map(base + sy * image.stride, cells: cells, lut: lut, affine: affine, overhang: overhang,
                                    into: mapped)
                    AreaResizer.rowSums(mapped, spans: spans, into: into)
                    return UnsafePointer(into)
                }
                for y in rows {
                    let ySpan = AreaResizer.span(y, scale: yScale)
                    let lo = Float(y) * yScale
                    let hi = Float(y + 1) * yScale
                    var started = false
                    for i in ySpan.start..<ySpan.end {
                        let wk = AreaResizer.weight(i, lo, hi, yScale)
                        let src = sumsOf(min(sourceHeight - 1, max(0, i)))
                        // TensorFlow starts from 0; 0 + v is v exactly.
                        AreaResizer.scaledAdd(src, wk, into: acc, count: rowFloats, accumulate: started)
                        started = true
                    }
                    if !started { acc.update(repeating: 0, count: rowFloats) }
                    let rowOut = (y - rows.lowerBound) * width
                    for c in 0..<3 {
                        AreaResizer.scaledAdd(acc + c * width, normaliser, into: out + c * planeStride + rowOut,
                                              count: width, accumulate: false)
                    }
                }
            }
        }
    }

    /// `(a, b)` if every entry of `lut` is exactly `a + Float(v) * b` (MTCNN's `(v - 127.5) / 128`
    /// is), so bytes can be mapped arithmetically with the same two roundings instead of looked up.
    static func affine(_ lut: UnsafePointer<Float>) -> (Float, Float)? {
        let a = lut[0], b = lut[1] - lut[0]
        for v in 0..<256 where lut[v] != a + Float(v) * b { return nil }
        return (a, b)
    }

    /// One source row of `cells` bytes through `lut` (arithmetically when `affine`), its last
    /// pixel repeated over `overhang` more pixels: what `rowSums` reads.
    @inline(__always)
    static func map(_ row: UnsafePointer<UInt8>, cells: Int, lut: UnsafePointer<Float>, affine: (Float, Float)?, overhang: Int,
                    into mapped: UnsafeMutablePointer<Float>) {
        if let (a, b) = affine {
            mapAffine(row, count: cells, a, b, into: mapped)
        } else {
            for i in 0..<cells { mapped[i] = lut[Int(row[i])] }
        }
        for i in cells..<(cells + 3 * overhang) { mapped[i] = mapped[i - 3] }
    }

    /// `out[i] = a + Float(bytes[i]) * b` for `count` bytes. Written as the plain loop, which the
    /// compiler vectorises (widen, convert, multiply, add: the same two roundings per value);
    /// `SIMD16` conversions compiled to calls into the generic standard library instead.
    @inline(__always)
    private static func mapAffine(_ bytes: UnsafePointer<UInt8>, count: Int, _ a: Float, _ b: Float,
                                  into out: UnsafeMutablePointer<Float>) {
        for i in 0..<count { out[i] = a + Float(bytes[i]) * b }
    }

    /// `dst[j] = src[j] * w` (or `dst[j] += src[j] * w`) for `count` floats, eight lanes at a time:
    /// lane-wise float multiply and add, so each value rounds exactly as the scalar expression does.
    @inline(__always)
    static func scaledAdd(_ src: UnsafePointer<Float>, _ w: Float, into dst: UnsafeMutablePointer<Float>,
                          count: Int, accumulate: Bool) {
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        var j = 0
        if accumulate {
            while j + 8 <= count {
                let v = d.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                    + s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self) * w
                d.storeBytes(of: v, toByteOffset: 4 * j, as: SIMD8<Float>.self)
                j += 8
            }
            while j < count { dst[j] += src[j] * w; j += 1 }
        } else {
            while j + 8 <= count {
                let v = s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self) * w
                d.storeBytes(of: v, toByteOffset: 4 * j, as: SIMD8<Float>.self)
                j += 8
            }
            while j < count { dst[j] = src[j] * w; j += 1 }
        }
    }

    /// One source row's weighted sums over each output column's span (`xSpans`), planar (R, G, B
    /// rows of `spans.count`), from the row's mapped floats (`map`, with at least the spans'
    /// overhang). R, G and B ride in the lanes of one 4-wide vector (the fourth lane is the next
    /// pixel's red, ignored), summed in TensorFlow's order.
    ///
    /// Each sum is a chain of dependent additions (its order is TensorFlow's), so one chain at a
    /// time waited on the adder's latency: a level 30 times smaller than the frame spent about
    /// four cycles per source pixel. Four columns' chains advance together instead, each still
    /// adding its own pixels in its own order.
    @inline(__always)
    static func rowSums(_ row: UnsafePointer<Float>, spans: UnsafeBufferPointer<Span>,
                        into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(row), width = spans.count
        let g = out + width, b = out + 2 * width
        @inline(__always) func pixel(_ i: Int) -> SIMD4<Float> { raw.loadUnaligned(fromByteOffset: 12 * i, as: SIMD4<Float>.self) }
        /// The pixels strictly between a span's first and last.
        @inline(__always) func inner(_ s: Span) -> Int { max(0, s.end - s.start - 2) }
        @inline(__always) func close(_ v: inout SIMD4<Float>, _ s: Span, from k: Int) {
            var i = s.start + 1 + k
            while i < s.end - 1 { v += pixel(i); i += 1 }
            if s.start + 1 != s.end { v += pixel(s.end - 1) * s.lastWeight }
        }
        @inline(__always) func store(_ v: SIMD4<Float>, _ x: Int) {
            out[x] = v[0]
            g[x] = v[1]
            b[x] = v[2]
        }
        var x = 0
        while x + 4 <= width {
            let s0 = spans[x], s1 = spans[x + 1], s2 = spans[x + 2], s3 = spans[x + 3]
            var v0 = pixel(s0.start) * s0.startWeight, v1 = pixel(s1.start) * s1.startWeight
            var v2 = pixel(s2.start) * s2.startWeight, v3 = pixel(s3.start) * s3.startWeight
            let common = min(min(inner(s0), inner(s1)), min(inner(s2), inner(s3)))
            var k = 0
            while k < common {
                v0 += pixel(s0.start + 1 + k)
                v1 += pixel(s1.start + 1 + k)
                v2 += pixel(s2.start + 1 + k)
                v3 += pixel(s3.start + 1 + k)
                k += 1
            }
            close(&v0, s0, from: k)
            close(&v1, s1, from: k)
            close(&v2, s2, from: k)
            close(&v3, s3, from: k)
            store(v0, x)
            store(v1, x + 1)
            store(v2, x + 2)
            store(v3, x + 3)
            x += 4
        }
        while x < width {
            let s = spans[x]
            var v = pixel(s.start) * s.startWeight
            close(&v, s, from: 0)
            store(v, x)
            x += 1
        }
    }

    /// The whole image resized to an 8-bit RGB image (values rounded), for detecting on a smaller copy.
    /// Resized `bandRows` output rows at a time, so only a band is ever held as floats (a 14 MP
    /// photo brought to 4096 pixels took 134 MB of float planes in one pass); the values are those
    /// of one pass, since every output row is computed from the same source rows either way.
    func resizedImage(_ image: RGBImage, bandRows: Int = 64) -> RGBImage {
        let identity = (0..<256).map { Float($0) }
        let band = max(1, min(bandRows, height))
        var planes = [Float](repeating: 0, count: 3 * band * width)
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        identity.withUnsafeBufferPointer { lut in
            planes.withUnsafeMutableBufferPointer { out in
                guard let l = lut.baseAddress, let o = out.baseAddress else { return }
                for first in stride(from: 0, to: height, by: band) {
                    let rows = first..<min(height, first + band)
                    let plane = rows.count * width
                    resize(image, lut: l, rows: rows, into: o, planeStride: plane)
                    let base = 3 * first * width
                    for i in 0..<plane {
                        for c in 0..<3 {
                            pixels[base + 3 * i + c] = UInt8(max(0, min(255, o[c * plane + i].rounded())))
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, stride: width * 3, pixels: pixels)
            ?? RGBImage(width: width, height: height)
    }
}
