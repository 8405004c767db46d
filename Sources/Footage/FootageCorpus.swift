import Common
import Foundation
import Reports
import Search
import Store

/// The stored faces of a set of finished jobs, in memory for `find`: their embeddings in shards
/// searched exactly in parallel (one sgemm per shard), and beside each row where and when the
/// face was seen. Built once per set of jobs (`FootageIndex` keeps it while the jobs stay as
/// they are); memory is 4 × 128 bytes per face plus about 50 bytes of metadata.
public final class FootageCorpus: @unchecked Sendable {
    /// An input the corpus covers.
    public struct Input: Sendable {
        /// Its job.
        public var job: JobRecord
        /// The input.
        public var record: JobInputRecord
        /// Its recording start, when known.
        public var recordedAt: RecordingStart?
    }

    /// Faces held.
    public let count: Int
    /// Inputs by `job/ordinal`.
    public let inputs: [String: Input]
    let shards: [ExactSearcher]
    /// Row metadata, by row (the searchers' ids are rows).
    let jobIDs: [Int64]
    let ordinals: [Int32]
    let frames: [Int64]
    let detections: [Int32]
    let pts: [Int64]
    let tracks: [Int64]
    let boxes: [Float]

    /// Reads the stored faces of `jobs` page by page (`pageSize` rows per query), into shards of
    /// at most `shardSize` faces.
    public static func load(jobs: [JobRecord], repository: JobRepository, footage: FootageRepository,
                            pageSize: Int = 50_000, shardSize: Int? = nil) throws -> FootageCorpus {
        // The same footage stored by several jobs (a job re-run under another name, a manifest
        // copied) is answered once: from the newest job that stored it.
        var inputs: [String: Input] = [:]
        var seen = Set<String>()
        for job in jobs.sorted(by: { $0.id > $1.id }) {
            for i in try repository.inputs(jobID: job.id) where seen.insert(i.file.sha256).inserted {
                inputs["\(job.id)/\(i.ordinal)"] = Input(job: job, record: i,
                                                         recordedAt: i.file.recordedAt.flatMap(RecordingStart.init(rfc3339:)))
            }
        }
        let total = try footage.count(jobIDs: jobs.map(\.id))
        let cores = AvailableCores.count
        let perShard = max(1, shardSize ?? (total + cores - 1) / cores)
        var shards: [ExactSearcher] = []
        var vectors: [Float] = [], ids: [Int64] = []
        var jobIDs: [Int64] = [], ordinals: [Int32] = [], frames: [Int64] = [], detections: [Int32] = []
        var pts: [Int64] = [], tracks: [Int64] = [], boxes: [Float] = []
        jobIDs.reserveCapacity(total); ordinals.reserveCapacity(total); frames.reserveCapacity(total)
        detections.reserveCapacity(total); pts.reserveCapacity(total); tracks.reserveCapacity(total)
        boxes.reserveCapacity(total * 4)
        var dimension = 0
        func seal() throws {
            guard !ids.isEmpty else { return }
            shards.append(ExactSearcher(gallery: try EmbeddingMatrix(dimension: dimension, ids: ids, vectors: vectors),
                                        metric: .euclidean))
            ids.removeAll()
            vectors.removeAll()
        }
        var position: FootageRepository.CorpusPosition?
        repeat {
            let page = try footage.corpus(jobIDs: jobs.map(\.id), after: position, limit: pageSize)
            for s in page.detections {
                let d = s.detection
                guard inputs["\(s.jobID)/\(s.inputOrdinal)"] != nil else { continue }
                if dimension == 0 { dimension = d.embedding.count }
                guard d.embedding.count == dimension, dimension > 0 else { continue }
                if ids.isEmpty { vectors.reserveCapacity(min(perShard, total) * dimension) }
                ids.append(Int64(jobIDs.count))
                vectors += d.embedding
                jobIDs.append(s.jobID)
                ordinals.append(Int32(s.inputOrdinal))
                frames.append(d.frameIndex)
                detections.append(Int32(d.detectionIndex))
                pts.append(d.ptsMicroseconds)
                tracks.append(d.trackID)
                boxes += [Float(d.box.x), Float(d.box.y), Float(d.box.width), Float(d.box.height)]
                if ids.count >= perShard { try seal() }
            }
            position = page.next
        } while position != nil
        try seal()
        return FootageCorpus(count: jobIDs.count, inputs: inputs, shards: shards, jobIDs: jobIDs, ordinals: ordinals,
                             frames: frames, detections: detections, pts: pts, tracks: tracks, boxes: boxes)
    }

    init(count: Int, inputs: [String: Input], shards: [ExactSearcher], jobIDs: [Int64], ordinals: [Int32], frames: [Int64],
         detections: [Int32], pts: [Int64], tracks: [Int64], boxes: [Float]) {
        self.count = count
        self.inputs = inputs
        self.shards = shards
        self.jobIDs = jobIDs
        self.ordinals = ordinals
        self.frames = frames
        self.detections = detections
        self.pts = pts
        self.tracks = tracks
        self.boxes = boxes
    }

    /// The `k` nearest stored faces of `probe` (exact, every shard searched on a core of its own),
    /// as (row, distance) pairs, nearest first (ties by row).
    public func nearest(_ probe: [Float], k: Int) throws -> [(row: Int, distance: Float)] {
        guard k > 0, !shards.isEmpty else { return [] }
        let results = ShardResults(count: shards.count)
        DispatchQueue.concurrentPerform(iterations: shards.count) { s in
            results.set(s, Result { try shards[s].search(probe, k: k)[0] })
        }
        var merged: [(row: Int, distance: Float)] = []
        for r in try results.values() { merged += r.map { (Int($0.id), $0.distance) } }
        merged.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }
        return Array(merged.prefix(k))
    }

    /// Calls `body` with the embedding stored at `row`.
    public func withVector<R>(atRow row: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        var base = 0
        for shard in shards {
            if row < base + shard.gallery.count {
                return try shard.gallery.vector(atRow: row - base).withUnsafeBufferPointer(body)
            }
            base += shard.gallery.count
        }
        return try body(UnsafeBufferPointer(start: nil, count: 0))
    }

    /// The `k` nearest stored faces by a plain scan in Double precision, no BLAS: the reference
    /// `nearest` is checked against.
    public func nearestByScan(_ probe: [Float], k: Int) -> [(row: Int, distance: Float)] {
        var all: [(row: Int, distance: Float)] = []
        all.reserveCapacity(count)
        var base = 0
        for shard in shards {
            for r in 0..<shard.gallery.count {
                let v = shard.gallery.vector(atRow: r)
                var sum = 0.0
                for (a, b) in zip(probe, v) { let t = Double(a) - Double(b); sum += t * t }
                all.append((base + r, Float(sum.squareRoot())))
            }
            base += shard.gallery.count
        }
        all.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }
        return Array(all.prefix(k))
    }
}

/// Per-shard answers written by concurrent iterations.
private final class ShardResults: @unchecked Sendable {
    private var slots: [Result<[SearchHit], Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<[SearchHit], Error>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func values() throws -> [[SearchHit]] {
        try slots.map { slot in try (slot ?? .success([])).get() }
    }
}
