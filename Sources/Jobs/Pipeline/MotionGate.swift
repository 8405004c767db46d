import Common
import Foundation

/// Motion-gated detection for fixed cameras: where the picture has not changed, there is no new
/// face to find. The gate keeps a running background of the frame's luma in cells of 16x16 pixels
/// and compares each sampled frame with it; the detector then runs only on the changed cells,
/// grown by a margin and merged into rectangles. A full-frame pass runs on the first frame, every
/// `refresh_seconds`, and whenever much of the picture changed at once (a scene cut, a moving or
/// zooming camera, the lights), so the gate never stands between the detector and a face for long.
///
/// Cells that changed are learnt into the background very slowly, so a person who stops and
/// stands stays "changed" (and searched) for tens of seconds; unchanged cells follow lighting drift.
/// The gate is sequential: it sees the frames of one input in order, before they are analysed.
struct MotionGate {
    /// What the detector should search in a frame.
    enum Decision: Equatable {
        /// The whole frame.
        case full
        /// Only these rectangles (frame pixels); empty: nothing changed, nothing to search.
        case regions([Region])
    }

    /// A rectangle in frame pixels.
    struct Region: Equatable {
        var x: Int, y: Int, width: Int, height: Int
    }

    let settings: MotionGateSettings
    /// Side of a cell in pixels.
    static let cell = 16
    /// How fast unchanged and changed cells are learnt into the background, per sampled frame.
    static let learnRate: Float = 0.05, changedLearnRate: Float = 0.002

    private var background: [Float] = []
    private var columns = 0, rows = 0
    private var lastFullMs: Int64?

    init(settings: MotionGateSettings) {
        self.settings = settings
    }

    /// A gate in the state `state` (from `state` of an earlier run, committed with a checkpoint);
    /// a fresh gate when the bytes are not a state of this shape.
    init(settings: MotionGateSettings, restoring state: Data?) {
        self.init(settings: settings)
        guard let state, state.count >= 16 else { return }
        let bytes = [UInt8](state)
        func int(_ at: Int, _ n: Int) -> Int64 { (0..<n).reduce(Int64(0)) { $0 | Int64(bytes[at + $1]) << (8 * Int64($1)) } }
        let cols = Int(int(0, 4)), rws = Int(int(4, 4)), last = int(8, 8)
        guard cols > 0, rws > 0, state.count == 16 + 4 * cols * rws else { return }
        var cells = [Float](repeating: 0, count: cols * rws)
        for i in cells.indices { cells[i] = Float(bitPattern: UInt32(truncatingIfNeeded: int(16 + 4 * i, 4))) }
        (background, columns, rows, lastFullMs) = (cells, cols, rws, last)
    }

    /// The gate's state as bytes (little-endian: columns, rows, last full pass in ms, the cells):
    /// committed with each checkpoint so a resumed input gates exactly as an uninterrupted one.
    var state: Data? {
        guard let lastFullMs, !background.isEmpty else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(16 + 4 * background.count)
        func put(_ v: Int64, _ n: Int) { for k in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> (8 * Int64(k)))) } }
        put(Int64(columns), 4)
        put(Int64(rows), 4)
        put(lastFullMs, 8)
        for v in background { put(Int64(v.bitPattern), 4) }
        return Data(out)
    }

    /// Smaller frames are always searched whole: on the 640x360 Hamilton clip the gate cost more
    /// than it saved (109.6 against 118.7 frames/s), while at 1080p it nearly doubles the rate.
    static let minimumPixels = 1280 * 720

    /// Faces found this many sampled frames back are looked for again in a frame (the pipeline
    /// hands them to `align(_:regions:seeds:)`): a constant, so the faces found are the same on
    /// every machine and after a resume.
    static let seedLag = 8
    /// Seeds come from the faces of the `seedWindow` frames up to `seedLag` back.
    static let seedWindow = 8

    /// The sample ordinals whose faces seed frame `ordinal` of an input: the `seedWindow` frames
    /// up to `seedLag` back, and the first frame's for the frames before that (the first frame is
    /// searched whole, so a person standing still in it is looked for again in the next ones,
    /// which are gated; searching them whole too cost 7 full passes per input, 6-9 % of a 24 s
    /// 1080p clip). Nil for the first frame, which has no earlier faces.
    static func seedFrames(for ordinal: Int64) -> ClosedRange<Int64>? {
        guard ordinal > 0 else { return nil }
        let newest = max(0, ordinal - Int64(seedLag))
        return max(0, newest - Int64(seedWindow) + 1)...newest
    }

    /// The decision for the next frame of the input, presented at `ptsMs`. The faces of recent
    /// frames (`seedLag` back) are looked for again besides (by the pipeline, with R-Net and
    /// O-Net), so a person who stands still is found in every frame, not only at the refresh.
    mutating func decide(_ image: RGBImage, ptsMs: Int64, forceFull: Bool = false) -> Decision {
        let c = Self.cell
        let cols = (image.width + c - 1) / c, rws = (image.height + c - 1) / c
        let means = Self.cellMeans(image, columns: cols, rows: rws)
        guard background.count == means.count, cols == columns, let last = lastFullMs, ptsMs >= last else {
            (background, columns, rows, lastFullMs) = (means, cols, rws, ptsMs)
            return .full
        }
        var changed = [Bool](repeating: false, count: means.count)
        var count = 0
        let threshold = Float(settings.threshold)
        for i in means.indices {
            let moved = abs(means[i] - background[i]) > threshold
            changed[i] = moved
            if moved { count += 1 }
            background[i] += (moved ? Self.changedLearnRate : Self.learnRate) * (means[i] - background[i])
        }
        if Double(count) > settings.fullAbove * Double(means.count) {
            // A cut, or the camera moved: the new picture is the background from now on.
            (background, lastFullMs) = (means, ptsMs)
            return .full
        }
        if forceFull || Double(ptsMs - last) >= settings.refreshSeconds * 1000 {
            lastFullMs = ptsMs
            return .full
        }
        let margin = Int((settings.margin * Double(max(image.width, image.height))).rounded())
        return .regions(Self.rectangles(changed, columns: cols, rows: rws, cell: c, margin: margin,
                                        width: image.width, height: image.height))
    }

    /// Mean luma (BT.601 weights) of each cell, read on every other row and column. Each cell
    /// sums its pixels row by row, left to right: the gate's state depends on these exact floats
    /// (the pixel counts per cell follow from the sizes and are not counted).
    static func cellMeans(_ image: RGBImage, columns: Int, rows: Int) -> [Float] {
        var sums = [Float](repeating: 0, count: columns * rows)
        image.pixels.withUnsafeBufferPointer { p in
            sums.withUnsafeMutableBufferPointer { s in
                guard let pixels = p.baseAddress, let cells = s.baseAddress else { return }
                for y in stride(from: 0, to: image.height, by: 2) {
                    let line = pixels + y * image.stride, row = cells + (y / cell) * columns
                    var x = 0
                    for c in 0..<columns {
                        let end = min(image.width, (c + 1) * cell)
                        var sum = row[c]
                        while x < end {
                            let px = line + 3 * x
                            sum += 0.299 * Float(px[0]) + 0.587 * Float(px[1]) + 0.114 * Float(px[2])
                            x += 2
                        }
                        row[c] = sum
                    }
                }
            }
        }
        // Every other pixel of a cell's columns and rows (cells start at even offsets).
        func sampled(_ index: Int, _ size: Int) -> Float { Float((min(size, (index + 1) * cell) - index * cell + 1) / 2) }
        return sums.indices.map { i in
            let count = sampled(i % columns, image.width) * sampled(i / columns, image.height)
            return count > 0 ? sums[i] / count : 0
        }
    }

    /// The bounding boxes of the changed cells' connected groups, grown by `margin` pixels,
    /// clipped to the frame, merged until none overlap.
    static func rectangles(_ changed: [Bool], columns: Int, rows: Int, cell: Int, margin: Int,
                           width: Int, height: Int) -> [Region] {
        var seen = [Bool](repeating: false, count: changed.count)
        var boxes: [Region] = []
        for start in changed.indices where changed[start] && !seen[start] {
            var stack = [start]
            seen[start] = true
            var (x0, y0, x1, y1) = (Int.max, Int.max, Int.min, Int.min)
            while let i = stack.popLast() {
                let cx = i % columns, cy = i / columns
                (x0, y0, x1, y1) = (min(x0, cx), min(y0, cy), max(x1, cx), max(y1, cy))
                for (nx, ny) in [(cx - 1, cy), (cx + 1, cy), (cx, cy - 1), (cx, cy + 1)]
                where nx >= 0 && ny >= 0 && nx < columns && ny < rows {
                    let n = ny * columns + nx
                    if changed[n] && !seen[n] { seen[n] = true; stack.append(n) }
                }
            }
            let left = max(0, x0 * cell - margin), top = max(0, y0 * cell - margin)
            let right = min(width, (x1 + 1) * cell + margin), bottom = min(height, (y1 + 1) * cell + margin)
            boxes.append(Region(x: left, y: top, width: right - left, height: bottom - top))
        }
        // Sides are rounded up to multiples of `quantum` (the detector compiles its kernels per
        // input shape, so shapes must repeat), and overlapping rectangles become their union, until
        // no two overlap.
        var merged = true
        while merged {
            merged = false
            boxes = boxes.map { rounded($0, width: width, height: height) }
            outer: for a in boxes.indices {
                for b in boxes.indices where b > a && overlaps(boxes[a], boxes[b]) {
                    boxes[a] = union(boxes[a], boxes[b])
                    boxes.remove(at: b)
                    merged = true
                    break outer
                }
            }
        }
        return boxes.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
    }

    /// One box per face among the seeds of several frames: a box overlapping a kept one by more
    /// than half is the same face (the newest is kept: boxes arrive oldest first).
    static func distinct(_ boxes: [PixelBox]) -> [PixelBox] {
        var kept: [PixelBox] = []
        for b in boxes.reversed() where !kept.contains(where: { $0.iou(b) > 0.5 }) { kept.append(b) }
        return kept
    }

    /// Side lengths of searched rectangles are multiples of this (or the frame's own).
    static let quantum = 128

    /// `r` grown to sides that are multiples of `quantum` (at most the frame's), kept inside the frame.
    static func rounded(_ r: Region, width: Int, height: Int) -> Region {
        func side(_ v: Int, _ limit: Int) -> Int { min(limit, (v + quantum - 1) / quantum * quantum) }
        let w = side(r.width, width), h = side(r.height, height)
        let x = min(max(0, r.x - (w - r.width) / 2), width - w), y = min(max(0, r.y - (h - r.height) / 2), height - h)
        return Region(x: x, y: y, width: w, height: h)
    }

    static func overlaps(_ a: Region, _ b: Region) -> Bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    static func union(_ a: Region, _ b: Region) -> Region {
        let x = min(a.x, b.x), y = min(a.y, b.y)
        return Region(x: x, y: y, width: max(a.x + a.width, b.x + b.width) - x, height: max(a.y + a.height, b.y + b.height) - y)
    }
}
