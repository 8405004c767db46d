import Foundation

/// Turns embeddings into a segment. A factory that needs training (IVF, PQ) gets it from the very
/// vectors of the segment; when there are too few for FAISS to train well, the segment is built
/// `Flat` instead (exact, and small by definition) and rebuilt with the requested factory once it
/// has grown enough (see `SegmentBuilder`).
struct SegmentFactory {
    let options: SegmentBuildOptions

    /// FAISS warns below 39 training points per centroid; facejob holds the same line.
    static let pointsPerCentroid = 39
    /// Centroids per PQ sub-quantizer at FAISS's default 8 bits.
    static let pqCentroids = 256
    /// efSearch stored with HNSW segments (FAISS's own default, 16, loses recall on face data).
    static let defaultEfSearch = 64
    /// nprobe stored with IVF segments (FAISS's own default, 1, loses recall on face data).
    static let defaultNprobe = 16

    /// Vectors needed before the requested factory is used: 0 when it needs no training.
    func trainingMinimum() throws -> Int {
        if NativeIVFFactory.handles(options.factory) {
            guard let lists = NativeIVFFactory.lists(in: options.factory) else {
                throw SearchError.segmentMismatch("factory \(options.factory): expected NativeIVF followed by a number of lists")
            }
            return lists == 1 ? 0 : lists * Self.pointsPerCentroid
        }
        let probe = try FaissIndex(dimension: options.dimension, factory: options.factory, metric: options.faissMetric)
        if probe.isTrained { return 0 }
        let centroids = max(Self.number(after: "IVF", in: options.factory) ?? 1,
                            options.factory.contains("PQ") ? Self.pqCentroids : 1)
        return centroids * Self.pointsPerCentroid
    }

    /// The factory a segment of `count` vectors is built with.
    func effectiveFactory(count: Int, trainingMinimum: Int) -> String {
        guard count < trainingMinimum else { return options.factory }
        return NativeIVFFactory.handles(options.factory) ? NativeIVFFactory.prefix + "1" : "Flat"
    }

    /// Vectors as FAISS stores them: unit-normalised for cosine.
    func prepared(_ vectors: [Float]) -> [Float] {
        options.metric == .cosine ? VectorMath.normalisedRows(vectors, dimension: options.dimension) : vectors
    }

    /// A fresh segment over `embeddings`, covering `range`. For facejob's own IVF, `donor` (a
    /// segment of the same index) lends its trained centroids: the new segment joins the donor's
    /// lists instead of training its own, so every segment of the index is searched as one.
    func makeSegment(_ embeddings: EmbeddingMatrix, range: ClosedRange<Int64>, excludedTombstones: Int,
                     trainingMinimum: Int, donor: IndexSegment? = nil) throws -> IndexSegment {
        if let shared = try sharedLayout(from: donor, rebuilding: range) {
            var layout = shared
            layout.add(prepared(embeddings.vectors), ids: embeddings.ids)
            return segment(layout, range: range, factory: options.factory, excludedTombstones: excludedTombstones)
        }
        let factory = effectiveFactory(count: embeddings.count, trainingMinimum: trainingMinimum)
        if let lists = NativeIVFFactory.lists(in: factory) {
            let vectors = prepared(embeddings.vectors)
            var layout = NativeIVFLayout.trained(on: vectors, count: embeddings.count, dimension: options.dimension, lists: lists)
            layout.add(vectors, ids: embeddings.ids)
            return segment(layout, range: range, factory: factory, excludedTombstones: excludedTombstones)
        }
        let index = try FaissIndex(dimension: options.dimension, factory: factory, metric: options.faissMetric)
        let vectors = prepared(embeddings.vectors)
        if !index.isTrained { try index.train(vectors) }
        try index.add(vectors, ids: embeddings.ids)
        if index.efSearch != nil { try index.setEfSearch(Self.defaultEfSearch) }
        if index.nprobe != nil { try index.setNprobe(Self.defaultNprobe) }
        return try segment(index, range: range, factory: factory, excludedTombstones: excludedTombstones)
    }

    /// Whether `open`, the segment that trained the index's centroids, should train them again from
    /// all its vectors before growing to `count` (it doubled since), or before being sealed.
    func retrainsCentroids(_ open: IndexSegment, count: Int, sealing: Bool) throws -> Bool {
        guard open.kind == .nativeIVF, open.factory == options.factory, open.requestedFactory == options.factory else { return false }
        let layout = try NativeIVFLayout(decoding: open.bytes)
        guard layout.trainsBetter(withCount: count) else { return false }
        return sealing || count >= 2 * layout.trainedOn
    }

    /// An empty layout over the donor's centroids, when the donor is a trained segment of facejob's
    /// own IVF with the lists this build asks for.
    private func sharedLayout(from donor: IndexSegment?, rebuilding range: ClosedRange<Int64>) throws -> NativeIVFLayout? {
        guard let donor, donor.kind == .nativeIVF, donor.factory == options.factory,
              NativeIVFFactory.lists(in: options.factory).map({ $0 > 1 }) == true else { return nil }
        let layout = try NativeIVFLayout(decoding: donor.bytes)
        guard layout.isTrained, layout.dimension == options.dimension else { return nil }
        return layout.sharingCentroids(owned: donor.firstID == range.lowerBound)
    }

    /// The open segment with `batch` appended to its stored bytes (never to an in-memory copy, so a
    /// resumed build and an uninterrupted one take the same path).
    func extend(_ open: IndexSegment, with batch: EmbeddingMatrix) throws -> IndexSegment {
        let last = batch.ids.last ?? open.lastID
        if open.kind == .nativeIVF {
            var layout = try NativeIVFLayout(decoding: open.bytes)
            layout.add(prepared(batch.vectors), ids: batch.ids)
            return segment(layout, range: open.firstID...max(open.lastID, last), factory: open.factory,
                           excludedTombstones: open.excludedTombstones)
        }
        let index = try FaissIndex(serialized: open.bytes)
        try index.add(prepared(batch.vectors), ids: batch.ids)
        return try segment(index, range: open.firstID...max(open.lastID, last), factory: open.factory,
                       excludedTombstones: open.excludedTombstones)
    }

    private func segment(_ index: FaissIndex, range: ClosedRange<Int64>, factory: String,
                         excludedTombstones: Int) throws -> IndexSegment {
        let bytes = try index.serialized()
        return IndexSegment(firstID: range.lowerBound, lastID: range.upperBound, count: index.count,
                            factory: factory, requestedFactory: options.factory, metric: options.metric,
                            dimension: options.dimension, excludedTombstones: excludedTombstones, bytes: bytes, kind: .faiss)
    }

    private func segment(_ layout: NativeIVFLayout, range: ClosedRange<Int64>, factory: String,
                         excludedTombstones: Int) -> IndexSegment {
        IndexSegment(firstID: range.lowerBound, lastID: range.upperBound, count: layout.count,
                     factory: factory, requestedFactory: options.factory, metric: options.metric,
                     dimension: options.dimension, excludedTombstones: excludedTombstones, bytes: layout.encoded(),
                     kind: .nativeIVF)
    }

    /// The integer right after `prefix` in a factory string ("IVF4096,PQ32" → 4096 for "IVF").
    static func number(after prefix: String, in factory: String) -> Int? {
        guard let r = factory.range(of: prefix) else { return nil }
        let digits = factory[r.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }
}
