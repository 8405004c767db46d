import Common

/// All levels of MTCNN's pyramid resized from one pass over the image's rows, each level handed
/// on in bands of output rows as soon as a band is complete.
///
/// Resizing level after level read the whole frame once per level (about a dozen levels): at
/// 1080p 6 MB of bytes each time, from memory rather than cache, and each row mapped to floats
/// again. Here each source row is read and mapped once and then summed for every level while it
/// is in the core's cache. Every level's values are `AreaResizer.resize`'s to the bit: each
/// output row sums the same row sums with the same weights in the same order (rows ascending);
/// only the levels take turns. Memory stays flat: a level holds one band and a few rows of sums.
struct PyramidSweep {
    /// One level: how to resize to it, and the bands of output rows its reader takes, in order.
    /// A band starts within or right after the one before it, ends after it, and is no longer.
    struct Level {
        let resizer: AreaResizer
        let bands: [Range<Int>]
    }

    let levels: [Level]

    /// Output rows of `resizer` whose footprints overlap one source row: the accumulators a level
    /// keeps. A source row is `1 / yScale` output rows high, plus one at each end, plus one for
    /// the rounding of spans.
    static func activeRows(_ resizer: AreaResizer) -> Int { Int((1 / resizer.yScale).rounded(.up)) + 3 }

    /// Floats of scratch `run` uses.
    var scratchFloats: Int {
        let overhang = levels.map(\.resizer.overhang).max() ?? 0
        let sourceWidth = levels.first?.resizer.sourceWidth ?? 0
        return 3 * (sourceWidth + overhang) + 1 + levels.reduce(0) { total, level in
            let w = level.resizer.width, band = level.bands.map(\.count).max() ?? 0
            return total + 3 * w * (1 + Self.activeRows(level.resizer) + band)
        }
    }

    /// Resizes `image` (its bytes through `lut`) to every level in one pass over its rows; calls
    /// `band(level, index, planes)` as each band is complete, levels interleaved, bands of one
    /// level in order. `planes` holds the band's rows as three planes `[channel][row][column]`,
    /// valid during the call. `scratch` holds `scratchFloats` floats.
    func run(_ image: RGBImage, lut: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
             band: (_ level: Int, _ index: Int, _ planes: UnsafeMutablePointer<Float>) throws -> Void) rethrows {
        guard !levels.isEmpty else { return }
        precondition(levels.allSatisfy { $0.resizer.sourceWidth == image.width && $0.resizer.sourceHeight == image.height },
                     "levels resize another image")
        let cells = 3 * image.width
        let overhang = levels.map(\.resizer.overhang).max() ?? 0
        let mapped = scratch
        mapped[cells + 3 * overhang] = 0  // the lane past the last pixel a 4-wide load reads
        // The levels' column spans and bands, copied out of their arrays: the loop below touches
        // each level once per source row, and the arrays were retained and released every time.
        let spans = UnsafeMutableBufferPointer<AreaResizer.Span>.allocate(capacity: levels.reduce(0) { $0 + $1.resizer.width })
        let bands = UnsafeMutableBufferPointer<Range<Int>>.allocate(capacity: levels.reduce(0) { $0 + $1.bands.count })
        defer { spans.deallocate(); bands.deallocate() }
        var states = [LevelState]()
        var memory = mapped + cells + 3 * overhang + 1
        var spanAt = 0, bandAt = 0
        for level in levels {
            let ownSpans = UnsafeMutableBufferPointer(rebasing: spans[spanAt..<(spanAt + level.resizer.width)])
            _ = ownSpans.initialize(from: level.resizer.xSpans)
            let ownBands = UnsafeMutableBufferPointer(rebasing: bands[bandAt..<(bandAt + level.bands.count)])
            _ = ownBands.initialize(from: level.bands)
            spanAt += level.resizer.width
            bandAt += level.bands.count
            let state = LevelState(level.resizer, spans: UnsafeBufferPointer(ownSpans), bands: UnsafeBufferPointer(ownBands),
                                   at: memory)
            memory += state.floats
            states.append(state)
        }
        // The last source row any level reads (spans may reach past the image: clamped to its
        // last row, as TensorFlow does).
        let lastRow = states.map { $0.lastSourceRow }.max() ?? -1
        let affine = AreaResizer.affine(lut)
        try states.withUnsafeMutableBufferPointer { states in
            try image.pixels.withUnsafeBufferPointer { pixels in
                guard let base = pixels.baseAddress else { return }
                var sy = 0, open = states.filter { !$0.finished }.count
                while sy <= lastRow, open > 0 {
                    if sy < image.height {
                        AreaResizer.map(base + sy * image.stride, cells: cells, lut: lut, affine: affine, overhang: overhang,
                                        into: mapped)
                    }
                    // Rows past the image keep the last row mapped.
                    for l in states.indices where !states[l].finished {
                        while let full = states[l].take(sy, mapped: mapped) {
                            try band(l, full, states[l].planes)
                            states[l].advance()
                            if states[l].finished {
                                open -= 1
                                break
                            }
                        }
                    }
                    sy += 1
                }
            }
        }
    }

    /// One level during a sweep: the output rows being summed and the band being filled.
    private struct LevelState {
        let spans: UnsafeBufferPointer<AreaResizer.Span>
        let bands: UnsafeBufferPointer<Range<Int>>
        let width: Int, height: Int
        let yScale: Float, normaliser: Float
        let ring: Int
        /// Sums of the current source row, the accumulators (output row `y` in slot `y % ring`),
        /// and the band's planes.
        let sums: UnsafeMutablePointer<Float>
        let accumulators: UnsafeMutablePointer<Float>
        let planes: UnsafeMutablePointer<Float>
        let floats: Int
        /// Output rows before this one are finished.
        var done = 0
        /// Output rows before this one have started summing.
        var started = 0
        /// The band being filled.
        var band = 0
        /// The source row whose sums `sums` holds.
        var summed = -1

        init(_ resizer: AreaResizer, spans: UnsafeBufferPointer<AreaResizer.Span>, bands: UnsafeBufferPointer<Range<Int>>,
             at memory: UnsafeMutablePointer<Float>) {
            self.spans = spans
            self.bands = bands
            (width, height) = (resizer.width, resizer.height)
            (yScale, normaliser) = (resizer.yScale, resizer.normaliser)
            ring = PyramidSweep.activeRows(resizer)
            let row = 3 * width
            sums = memory
            accumulators = memory + row
            planes = accumulators + ring * row
            floats = row * (1 + ring + (bands.map(\.count).max() ?? 0))
        }

        var finished: Bool { band >= bands.count }

        /// The last source row (unclamped) the level's bands need.
        var lastSourceRow: Int {
            guard let last = bands.last, !last.isEmpty else { return -1 }
            return AreaResizer.span(last.upperBound - 1, scale: yScale).end - 1
        }

        /// Adds source row `sy` (mapped) to the output rows whose footprints it overlaps and
        /// finishes the rows it completes, up to the first that completes a band: returns that
        /// band's index (its planes are ready), or nil once every such row has the row. After a
        /// band, call `advance()` and then `take` again with the same row: the rows after the
        /// band's last have not had it yet (the rows a source row finishes come first).
        mutating func take(_ sy: Int, mapped: UnsafePointer<Float>) -> Int? {
            let row = 3 * width, scale = yScale
            var y = done
            while y < height {
                let span = AreaResizer.span(y, scale: scale)
                guard span.start <= sy else { break }
                if summed != sy {
                    AreaResizer.rowSums(mapped, spans: spans, into: sums)
                    summed = sy
                }
                if y == started {
                    precondition(y - done < ring, "more output rows overlap a source row than the sweep holds")
                    started += 1
                }
                let weight = AreaResizer.weight(sy, Float(y) * scale, Float(y + 1) * scale, scale)
                // TensorFlow starts each output value from 0; 0 + v is v exactly.
                AreaResizer.scaledAdd(sums, weight, into: accumulators + (y % ring) * row, count: row,
                                      accumulate: sy != span.start)
                if sy == span.end - 1, finish(y) { return band }
                y += 1
            }
            return nil
        }

        /// Output row `y` (the next to finish) into the band; whether it was the band's last.
        private mutating func finish(_ y: Int) -> Bool {
            precondition(y == done, "output rows finish in order")
            done += 1
            let rows = bands[band]
            guard rows.contains(y) else { return false }
            let acc = accumulators + (y % ring) * 3 * width
            let stride = rows.count * width, at = (y - rows.lowerBound) * width
            for c in 0..<3 {
                AreaResizer.scaledAdd(acc + c * width, normaliser, into: planes + c * stride + at,
                                      count: width, accumulate: false)
            }
            return y == rows.upperBound - 1
        }

        /// On to the next band once the full one has been handed on.
        mutating func advance() {
            let rows = bands[band]
            band += 1
            guard band < bands.count else { return }
            // The next band starts inside this one: its first rows are done, move them to the front.
            let nextRows = bands[band]
            precondition(nextRows.lowerBound >= rows.lowerBound && nextRows.lowerBound <= rows.upperBound
                         && nextRows.upperBound > rows.upperBound && nextRows.count <= rows.count,
                         "a band starts within the one before it, ends after it and is no longer")
            let kept = rows.upperBound - nextRows.lowerBound, stride = rows.count * width, nextStride = nextRows.count * width
            let from = (nextRows.lowerBound - rows.lowerBound) * width
            for c in 0..<3 where kept > 0 {
                // Channel by channel front to back; `update(from:)` copies overlapping memory right,
                // and as the new band is no longer, no channel's new place reaches the next
                // channel's rows not yet moved.
                (planes + c * nextStride).update(from: planes + c * stride + from, count: kept * width)
            }
        }
    }
}
