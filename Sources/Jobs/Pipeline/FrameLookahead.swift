import Common
import Foundation
import Media

/// The engine stage of one input: sampled frames are analysed on the machine's cores as they
/// arrive and handed back in order, while the caller searches, tracks and commits earlier frames.
/// A frame's faces never depend on its neighbours, so the results are those of a frame-by-frame
/// run; only the waiting is gone — a batch no longer waits for its slowest frame, and no core
/// idles during a commit.
///
/// With an engine that aligns and embeds separately (`BatchEmbeddingAnalyzing`), a thread aligns
/// the faces of one frame at a time and embeds the aligned faces of several frames in one forward
/// pass: the embedding network reads its 22 MB of weights once per pass, so one face per pass (a
/// frame of footage has one or two) costs about 40 % more per face than four (docs/jobs.md). A
/// thread embeds once `maxEmbeddingBatch` faces wait or no frame waits to be aligned, so no frame
/// waits for faces that are not coming.
///
/// The analysis runs on threads of its own, one per core, not on Dispatch's shared pool: the pool
/// counts the threads blocked in the job (the command's own task, a REST request's handler) as
/// busy and on Linux only adds workers when its monitor notices, about half a second later, so
/// one core sat idle at the start of every input.
final class FrameLookahead {
    /// A frame and its faces, in decode order.
    typealias Analysed = (frame: VideoFrame, faces: [FrameFace])

    /// Most faces embedded in one forward pass. Passes take 1, 2, 4 or 8 faces, so that only four
    /// batch sizes of the network are ever compiled.
    static let maxEmbeddingBatch = 8

    private final class Slot: @unchecked Sendable {
        let frame: VideoFrame
        /// Where to look (the motion gate's decision), and faces of earlier frames to look for again.
        var decision = MotionGate.Decision.full
        var seeds: [PixelBox] = []
        var result: Result<[FrameFace], Error> = .success([])
        /// Aligned faces whose embeddings are still to come (guarded by the lookahead's lock).
        var faces: [FrameFace] = []
        var missing = 0
        let done = DispatchSemaphore(value: 0)
        init(_ frame: VideoFrame) { self.frame = frame }
    }

    /// What the analysis threads share, under `condition`'s lock.
    private final class Work: @unchecked Sendable {
        let condition = NSCondition()
        /// Frames waiting for a thread.
        var frames: [Slot] = []
        /// Aligned faces waiting for an embedding pass: their frame, their index there, their chip.
        var faces: [(slot: Slot, index: Int, chip: RGBImage)] = []
        var closed = false
    }

    private let limit: Int
    private var slots: [Slot] = []
    private var head = 0
    /// Frames handed back so far.
    private(set) var returned = 0
    private let work = Work()
    private let running = DispatchGroup()
    private let metrics: JobMetrics
    private var capacityHeld = true

    /// At most `limit` frames are held (analysed or in analysis) at a time: memory stays bounded.
    /// `threads` analyse (default: one per core). `metrics` gets the detection and embedding
    /// seconds and the depths of the held frames and of the faces waiting for an embedding pass.
    init(analyzer: FaceAnalyzing, limit: Int, threads: Int = AvailableCores.count,
         metrics: JobMetrics = JobMetrics()) {
        self.limit = max(1, limit)
        self.metrics = metrics
        metrics.capacityChanged(.analysis, by: self.limit)
        for _ in 0..<max(1, threads) {
            running.enter()
            CoreThreads.start(name: "facejob.engine") { [work, running] in
                FrameLookahead.analyse(work, analyzer, metrics)
                running.leave()
            }
        }
    }

    deinit { cancel() }

    /// One analysis thread: embeds waiting faces when enough wait or nothing else is to be done,
    /// else takes the next frame; ends when the lookahead is closed (what is left is dropped).
    private static func analyse(_ work: Work, _ analyzer: FaceAnalyzing, _ metrics: JobMetrics) {
        let batched = analyzer as? BatchEmbeddingAnalyzing
        let c = work.condition
        c.lock()
        while !work.closed {
            let framesWaiting = !work.frames.isEmpty
            if !work.faces.isEmpty, work.faces.count >= maxEmbeddingBatch || !framesWaiting, let batched {
                // The largest pass size not above the faces waiting (and the cap).
                var n = 1
                while 2 * n <= min(work.faces.count, maxEmbeddingBatch) { n *= 2 }
                let taken = Array(work.faces.prefix(n))
                work.faces.removeFirst(n)
                metrics.depthChanged(.embedding, by: -n)
                c.unlock()
                let embeddings = Result { () throws -> [[Float]] in
                    let e = try metrics.time(.embed) { try batched.embed(taken.map(\.chip)) }
                    guard e.count == taken.count else {
                        throw FaceEngineUnavailable(reason: "the embedder returned \(e.count) embeddings for \(taken.count) faces")
                    }
                    return e
                }
                c.lock()
                for (k, face) in taken.enumerated() {
                    let slot = face.slot
                    switch embeddings {
                    case .success(let e): slot.faces[face.index].embedding = e[k]
                    case .failure(let error): slot.result = .failure(error)
                    }
                    slot.missing -= 1
                    if slot.missing == 0 {
                        if case .success = slot.result { slot.result = .success(slot.faces) }
                        slot.done.signal()
                    }
                }
                continue
            }
            if framesWaiting {
                // Taken off at once (a handful wait at most): a frame handed back must not stay
                // referenced here, or its pixels could not be reused (`FramePool`).
                let slot = work.frames.removeFirst()
                c.unlock()
                guard let image = slot.frame.image else {
                    slot.done.signal()  // an undecodable frame has no faces; it still counts as sampled
                    c.lock()
                    continue
                }
                guard let batched else {
                    slot.result = Result { try metrics.time(.detect) { try analyzer.analyze([image]).first ?? [] } }
                    slot.done.signal()
                    c.lock()
                    continue
                }
                let aligned: Result<[AlignedFrameFace], Error>
                switch slot.decision {
                case .full: aligned = Result { try metrics.time(.detect) { try batched.align(image) } }
                case .regions(let r) where r.isEmpty && slot.seeds.isEmpty: aligned = .success([])
                case .regions(let r):
                    aligned = Result {
                        try metrics.time(.detect) {
                            try batched.align(image, regions: r.map { ($0.x, $0.y, $0.width, $0.height) }, seeds: slot.seeds)
                        }
                    }
                }
                c.lock()
                switch aligned {
                case .success(let faces) where !faces.isEmpty:
                    slot.faces = faces.map { FrameFace(box: $0.box, score: $0.score, embedding: []) }
                    slot.missing = faces.count
                    work.faces += faces.enumerated().map { (slot, $0.offset, $0.element.chip) }
                    metrics.depthChanged(.embedding, by: faces.count)
                case .success:
                    slot.done.signal()
                case .failure(let error):
                    slot.result = .failure(error)
                    slot.done.signal()
                }
                continue
            }
            c.wait()
        }
        c.unlock()
    }

    /// Starts analysing `frame` (where `decision` says) and returns the oldest frames whose
    /// analysis is over, in order; blocks for the oldest while `limit` frames are held.
    func push(_ frame: VideoFrame, decision: MotionGate.Decision = .full, seeds: [PixelBox] = []) throws -> [Analysed] {
        let slot = Slot(frame)
        slot.decision = decision
        slot.seeds = seeds
        slots.append(slot)
        metrics.depthChanged(.analysis, by: 1)
        work.condition.lock()
        work.frames.append(slot)
        work.condition.signal()
        work.condition.unlock()
        var out: [Analysed] = []
        while head < slots.count {
            let oldest = slots[head]
            if slots.count - head >= limit { oldest.done.wait() } else if oldest.done.wait(timeout: .now()) != .success { break }
            out.append((oldest.frame, try take(oldest)))
        }
        compact()
        return out
    }

    /// Waits until the first `count` frames pushed have been handed back and returns those not
    /// handed back before, in order (the motion gate needs the faces of earlier frames).
    func results(through count: Int) throws -> [Analysed] {
        var out: [Analysed] = []
        while returned < count, head < slots.count {
            let oldest = slots[head]
            oldest.done.wait()
            out.append((oldest.frame, try take(oldest)))
        }
        compact()
        return out
    }

    /// Waits for every frame still held and returns them in order.
    func drain() throws -> [Analysed] {
        var out: [Analysed] = []
        while head < slots.count {
            let oldest = slots[head]
            oldest.done.wait()
            out.append((oldest.frame, try take(oldest)))
        }
        compact()
        return out
    }

    /// Ends the analysis threads once the frame or pass each is working on is done (results not
    /// yet taken are dropped) and waits for them: call before leaving the input. Pushing
    /// afterwards is an error.
    func cancel() {
        work.condition.lock()
        work.closed = true
        work.condition.broadcast()
        work.condition.unlock()
        running.wait()
        metrics.depthChanged(.analysis, by: -(slots.count - head))
        slots.removeAll()
        head = 0
        work.condition.lock()
        metrics.depthChanged(.embedding, by: -work.faces.count)
        work.faces.removeAll()
        work.condition.unlock()
        if capacityHeld {
            capacityHeld = false
            metrics.capacityChanged(.analysis, by: -limit)
        }
    }

    private func take(_ slot: Slot) throws -> [FrameFace] {
        head += 1
        returned += 1
        metrics.depthChanged(.analysis, by: -1)
        return try slot.result.get()
    }

    /// Drops the slots handed back, so no frame stays referenced after its turn (`FramePool`).
    private func compact() {
        if head > 0 { slots.removeFirst(head); head = 0 }
    }
}
