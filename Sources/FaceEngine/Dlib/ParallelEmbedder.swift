import Common
import Dispatch

/// Embeds many chips on several Dispatch workers, each running its own batches through the shared
/// read-only weights. Combine with `BLASThreads.set(1)`: facejob parallelises across faces, not
/// inside each product (see `docs/engine.md`, "Parallelism").
public struct ParallelEmbedder: Sendable {
    /// The network (its weights are shared by all workers).
    public let embedder: FaceEmbedder
    /// Concurrent workers.
    public let workers: Int
    /// Chips per forward pass.
    public let batchSize: Int

    /// Creates the pool; `workers` and `batchSize` are at least 1.
    public init(embedder: FaceEmbedder, workers: Int, batchSize: Int = 8) {
        self.embedder = embedder
        self.workers = max(1, workers)
        self.batchSize = max(1, batchSize)
    }

    /// Descriptors of all chips, in input order.
    public func embed(_ chips: [RGBImage]) -> [[Float]] {
        let batches = (chips.count + batchSize - 1) / batchSize
        let embedder = self.embedder, batchSize = self.batchSize, workers = min(self.workers, batches)
        guard batches > 1 else { return embedder.embed(chips) }
        // One worker still goes batch by batch: a forward pass of `batchSize` chips keeps its
        // activations in cache, one pass over hundreds would not.
        guard workers > 1 else {
            return (0..<batches).flatMap { b in embedder.embed(Array(chips[(b * batchSize)..<min((b + 1) * batchSize, chips.count)])) }
        }
        let results = ResultSlots(count: chips.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var b = worker
            while b < batches {
                let range = (b * batchSize)..<min((b + 1) * batchSize, chips.count)
                let out = embedder.embed(Array(chips[range]))
                for (i, e) in zip(range, out) { results.set(i, e) }
                b += workers
            }
        }
        return results.values()
    }
}

/// Per-chip result slots written by disjoint workers (each index exactly once). Raw storage, so
/// concurrent writes to different slots do not trip Swift's exclusivity checks on one array.
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<[Float]>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: [], count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ i: Int, _ v: [Float]) { slots[i] = v }

    func values() -> [[Float]] { Array(UnsafeBufferPointer(start: slots, count: count)) }
}
