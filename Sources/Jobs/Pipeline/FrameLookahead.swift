import Dispatch
import Media

/// The engine stage of one input: sampled frames are analysed on the machine's cores as they
/// arrive and handed back in order, while the caller searches, tracks and commits earlier frames.
/// Each frame is analysed on its own (a face's embedding never depends on its neighbours), so the
/// results are those of a frame-by-frame run; only the waiting is gone — a batch no longer waits
/// for its slowest frame, and no core idles during a commit.
final class FrameLookahead {
    /// A frame and its faces, in decode order.
    typealias Analysed = (frame: VideoFrame, faces: [FrameFace])

    private final class Slot: @unchecked Sendable {
        let frame: VideoFrame
        var result: Result<[FrameFace], Error> = .success([])
        let done = DispatchSemaphore(value: 0)
        init(_ frame: VideoFrame) { self.frame = frame }
    }

    private let analyzer: FaceAnalyzing
    private let limit: Int
    private var slots: [Slot] = []
    private var head = 0
    private let running = DispatchGroup()
    private let queue = DispatchQueue(label: "facejob.engine", attributes: .concurrent)

    /// At most `limit` frames are held (analysed or in analysis) at a time: memory stays bounded.
    init(analyzer: FaceAnalyzing, limit: Int) {
        self.analyzer = analyzer
        self.limit = max(1, limit)
    }

    /// Starts analysing `frame` and returns the oldest frames whose analysis is over, in order;
    /// blocks for the oldest while `limit` frames are held.
    func push(_ frame: VideoFrame) throws -> [Analysed] {
        let slot = Slot(frame)
        slots.append(slot)
        if let image = frame.image {
            let analyzer = self.analyzer
            running.enter()
            queue.async { [running] in
                slot.result = Result { try analyzer.analyze([image]).first ?? [] }
                slot.done.signal()
                running.leave()
            }
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

    /// Waits for analyses still running (their results are dropped): call before leaving the input.
    func cancel() {
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
