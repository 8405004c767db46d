import Common
import Foundation
import Media

/// The engine stage of one input: sampled frames are analysed on the machine's cores as they
/// arrive and handed back in order, while the caller searches, tracks and commits earlier frames.
/// Each frame is analysed on its own (a face's embedding never depends on its neighbours), so the
/// results are those of a frame-by-frame run; only the waiting is gone — a batch no longer waits
/// for its slowest frame, and no core idles during a commit.
///
/// The analysis runs on threads of its own, one per core, not on Dispatch's shared pool: the pool
/// counts the threads blocked in the job (the command's own task, a REST request's handler) as
/// busy and on Linux only adds workers when its monitor notices, about half a second later, so
/// one core sat idle at the start of every input.
final class FrameLookahead {
    /// A frame and its faces, in decode order.
    typealias Analysed = (frame: VideoFrame, faces: [FrameFace])

    private final class Slot: @unchecked Sendable {
        let frame: VideoFrame
        var result: Result<[FrameFace], Error> = .success([])
        let done = DispatchSemaphore(value: 0)
        init(_ frame: VideoFrame) { self.frame = frame }
    }

    private let limit: Int
    private var slots: [Slot] = []
    private var head = 0
    /// Frames waiting for an analysis thread (never more than `limit`, so pushing never blocks).
    private let work: BoundedQueue<Slot>
    private let running = DispatchGroup()

    /// At most `limit` frames are held (analysed or in analysis) at a time: memory stays bounded.
    /// `threads` analyse (default: one per core).
    init(analyzer: FaceAnalyzing, limit: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(1, limit)
        let work = BoundedQueue<Slot>(capacity: self.limit)
        self.work = work
        for _ in 0..<max(1, threads) {
            running.enter()
            CoreThreads.start(name: "facejob.engine") { [running] in
                while let slot = try? work.pop() {
                    if let image = slot.frame.image {
                        slot.result = Result { try analyzer.analyze([image]).first ?? [] }
                    }
                    slot.done.signal()
                }
                running.leave()
            }
        }
    }

    deinit { cancel() }

    /// Starts analysing `frame` and returns the oldest frames whose analysis is over, in order;
    /// blocks for the oldest while `limit` frames are held.
    func push(_ frame: VideoFrame) throws -> [Analysed] {
        let slot = Slot(frame)
        slots.append(slot)
        if frame.image != nil {
            _ = work.push(slot)
        } else {
            slot.done.signal()  // an undecodable frame has no faces; it still counts as sampled
        }
        var out: [Analysed] = []
        while head < slots.count {
            let oldest = slots[head]
            if slots.count - head >= limit { oldest.done.wait() } else if oldest.done.wait(timeout: .now()) != .success { break }
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

    /// Ends the analysis threads once the frames handed to them are done (their results are
    /// dropped) and waits for them: call before leaving the input. Pushing afterwards is an error.
    func cancel() {
        work.close()
        running.wait()
        slots.removeAll()
        head = 0
    }

    private func take(_ slot: Slot) throws -> [FrameFace] {
        head += 1
        return try slot.result.get()
    }

    private func compact() {
        if head > 64 { slots.removeFirst(head); head = 0 }
    }
}
