import Foundation

/// What one `SegmentBuilder.build` call did.
public struct SegmentBuildReport: Sendable, Equatable {
    /// Batches committed by this call.
    public var batches: Int
    /// Embeddings added by this call.
    public var added: Int
    /// Segments in the store afterwards.
    public var segments: Int
    /// Whether the store now covers every embedding the source has (false when `maxBatches` stopped it).
    public var upToDate: Bool
}

/// Brings a segmented index up to date with its embeddings, one committed batch at a time.
///
/// Each batch is the next `batchSize` embeddings after the last covered id. It extends the last
/// segment while that has room under `segmentCapacity` (FAISS bytes read back, the batch added,
/// written again), and starts a new segment otherwise; the new or grown segment is committed
/// through one `SegmentStore.replace`. A killed build therefore resumes from its last commit, and
/// because every batch starts from committed bytes, never from in-memory state, the resumed build
/// ends with the same segments as an uninterrupted one.
public struct SegmentBuilder {
    /// Factory, metric, sizes.
    public let options: SegmentBuildOptions

    /// A builder; throws on nonsensical sizes.
    public init(options: SegmentBuildOptions) throws {
        try options.validate()
        self.options = options
    }

    /// Commits batches until the store covers the whole source, or `maxBatches` are done.
    @discardableResult
    public func build(from source: EmbeddingSource, into store: SegmentStore, maxBatches: Int? = nil) throws -> SegmentBuildReport {
        var segments = try store.segments()
        for segment in segments { try check(segment) }
        let factory = SegmentFactory(options: options)
        let minimum = try factory.trainingMinimum()
        let previousThreads = FaissIndex.threads
        if let threads = options.threads { FaissIndex.setThreads(threads) }
        defer { if options.threads != nil { FaissIndex.setThreads(previousThreads) } }

        var report = SegmentBuildReport(batches: 0, added: 0, segments: segments.count, upToDate: false)
        while maxBatches.map({ report.batches < $0 }) ?? true {
            let batch = try source.embeddings(after: segments.map(\.lastID).max(), limit: options.batchSize)
            if batch.isEmpty {
                report.upToDate = true
                break
            }
            guard batch.dimension == options.dimension else {
                throw SearchError.dimensionMismatch(expected: options.dimension, got: batch.dimension)
            }
            let (next, replaced) = try nextSegments(for: batch, after: segments.last, factory: factory,
                                                    minimum: minimum, source: source)
            try store.replace(firstIDs: replaced, with: next)
            segments.removeAll { replaced.contains($0.firstID) }
            segments += next
            report.batches += 1
            report.added += batch.count
        }
        if !report.upToDate, let last = segments.last {
            report.upToDate = try source.embeddings(after: last.lastID, limit: 1).isEmpty
        }
        report.segments = segments.count
        return report
    }

    /// The segments a batch turns into (the grown open one, or a new one after the sealed open one,
    /// which may be retrained first), and the segment they replace.
    private func nextSegments(for batch: EmbeddingMatrix, after open: IndexSegment?, factory: SegmentFactory,
                              minimum: Int, source: EmbeddingSource) throws -> ([IndexSegment], [Int64]) {
        guard let first = batch.ids.first, let last = batch.ids.last else {
            throw SearchError.invalidCount(name: "batch size", value: 0)
        }
        // A segment of another FAISS build or IVF format is left sealed for compaction to rebuild.
        guard let open, open.requestedFactory == options.factory, open.kind == SegmentKind.writing(factory: open.factory),
              open.count + batch.count <= options.segmentCapacity else {
            var sealed = open
            var replaced: [Int64] = []
            if let open, try factory.retrainsCentroids(open, count: open.count, sealing: true) {
                // The centroids every later segment inherits are trained on the full sealed segment.
                sealed = try factory.makeSegment(try source.embeddings(in: open.range), range: open.range, excludedTombstones: 0,
                                                 trainingMinimum: minimum)
                replaced = [open.firstID]
            }
            // A new segment of facejob's own IVF inherits the centroids of the one before it.
            let next = try factory.makeSegment(batch, range: first...last, excludedTombstones: 0,
                                               trainingMinimum: minimum, donor: sealed)
            return ((replaced.isEmpty ? [] : sealed.map { [$0] } ?? []) + [next], replaced)
        }
        let retrain = try factory.retrainsCentroids(open, count: open.count + batch.count, sealing: false)
        if (open.isFallback && open.count + batch.count >= minimum) || retrain {
            // The open segment was too small to train, or has doubled since its centroids were
            // trained: rebuild it from all its embeddings. Compacted tombstones come back (and are
            // filtered) until the next compaction.
            let all = try source.embeddings(in: open.firstID...last)
            return ([try factory.makeSegment(all, range: open.firstID...last, excludedTombstones: 0,
                                             trainingMinimum: minimum)], [open.firstID])
        }
        return ([try factory.extend(open, with: batch)], [open.firstID])
    }

    private func check(_ segment: IndexSegment) throws {
        guard segment.metric == options.metric else {
            throw SearchError.segmentMismatch("segment \(segment.range) uses \(segment.metric), the build \(options.metric)")
        }
        guard segment.dimension == options.dimension else {
            throw SearchError.segmentMismatch("segment \(segment.range) has dimension \(segment.dimension), the build \(options.dimension)")
        }
    }
}
