/// What one compaction did.
public struct CompactionReport: Sendable, Equatable {
    /// Ranges of the segments rebuilt.
    public var rebuilt: [ClosedRange<Int64>]
    /// Vectors dropped from the rebuilt segments.
    public var removedVectors: Int
    /// Why each segment this build could not read was rebuilt, one sentence per segment.
    public var unreadable: [String]

    /// A report of `rebuilt` segments that dropped `removedVectors` vectors.
    public init(rebuilt: [ClosedRange<Int64>], removedVectors: Int, unreadable: [String] = []) {
        self.rebuilt = rebuilt
        self.removedVectors = removedVectors
        self.unreadable = unreadable
    }
}

/// Rebuilds segments whose tombstoned fraction exceeds a threshold, without the tombstoned
/// embeddings, and segments whose bytes this build cannot read. Each rebuilt segment keeps its id
/// range and is committed on its own, so a killed compaction leaves every segment either old or new, both correct (search filters tombstones).
public struct SegmentCompactor {
    /// Factory, metric and sizes for the rebuilt segments.
    public let options: SegmentBuildOptions
    /// Fraction of tombstoned vectors above which a segment is rebuilt.
    public let threshold: Double

    /// A compactor; the default threshold rebuilds a segment once a fifth of it is dead.
    public init(options: SegmentBuildOptions, threshold: Double = 0.2) throws {
        try options.validate()
        guard threshold >= 0 && threshold < 1 else {
            throw SearchError.invalidCount(name: "compaction threshold (0..<1)", value: Int(threshold))
        }
        self.options = options
        self.threshold = threshold
    }

    /// The segments that need rebuilding: over the threshold, or written by a FAISS build or an
    /// IVF format version this build does not read.
    public func segmentsToRebuild(_ segments: [IndexSegment], tombstones: Set<Int64>) -> [IndexSegment] {
        let sorted = tombstones.sorted()
        return segments.filter { !$0.kind.isReadable || $0.tombstoneFraction(sortedTombstones: sorted) > threshold }
    }

    /// Rebuilds every segment over the threshold.
    @discardableResult
    public func compact(source: EmbeddingSource, store: SegmentStore, tombstones: Set<Int64>) throws -> CompactionReport {
        let factory = SegmentFactory(options: options)
        let minimum = try factory.trainingMinimum()
        let sorted = tombstones.sorted()
        var report = CompactionReport(rebuilt: [], removedVectors: 0)
        let segments = try store.segments()
        // facejob's own IVF keeps one set of centroids for the whole index: a rebuilt segment takes
        // them from itself, or from the first segment that has them.
        let donor = segments.first { $0.kind == .nativeIVF && $0.factory == options.factory }
        for segment in segmentsToRebuild(segments, tombstones: tombstones) {
            let live = try source.embeddings(in: segment.range).removing(tombstones)
            let own = segment.kind == .nativeIVF && segment.factory == options.factory ? segment : nil
            let rebuilt = try factory.makeSegment(live, range: segment.range,
                                                  excludedTombstones: SortedIDs.count(in: segment.range, of: sorted),
                                                  trainingMinimum: minimum, donor: own ?? donor)
            try store.replace(firstIDs: [segment.firstID], with: [rebuilt])
            report.rebuilt.append(segment.range)
            if !segment.kind.isReadable {
                report.unreadable.append("segment \(segment.firstID)...\(segment.lastID) was written by \(segment.kind), which this "
                                         + "build does not read (it reads \(SegmentKind.faiss) and \(SegmentKind.nativeIVF)): rebuilt")
            }
            report.removedVectors += segment.count - rebuilt.count
        }
        return report
    }
}
