import Common
/// One sealed piece of a watchlist's ANN index: a FAISS index, or facejob's own IVF, over the embeddings whose ids fall
/// in `[firstID, lastID]`, as bytes plus the facts a repository stores beside them. Segments of one
/// index never overlap; only the last one may still grow (see `SegmentBuilder`).
public struct IndexSegment: Sendable, Equatable {
    /// Smallest embedding id the segment covers.
    public let firstID: Int64
    /// Largest embedding id the segment covers.
    public let lastID: Int64
    /// Vectors inside the FAISS index.
    public let count: Int
    /// Factory string the bytes were built with; `Flat` when the segment was too small to train.
    public let factory: String
    /// Factory string the build asked for.
    public let requestedFactory: String
    /// Metric of the embeddings (cosine segments hold unit-normalised vectors under inner product).
    public let metric: Metric
    /// Vector dimension.
    public let dimension: Int
    /// Tombstoned ids in the range that a compaction already left out of the bytes.
    public let excludedTombstones: Int
    /// The serialised index: FAISS's (`FaissIndex.serialized()`) or facejob's own IVF lists.
    public let bytes: [UInt8]
    /// What wrote the bytes, and its version.
    public let kind: SegmentKind

    /// A segment record, as a repository reads it back.
    public init(firstID: Int64, lastID: Int64, count: Int, factory: String, requestedFactory: String,
                metric: Metric, dimension: Int, excludedTombstones: Int, bytes: [UInt8], kind: SegmentKind? = nil) {
        self.firstID = firstID
        self.lastID = lastID
        self.count = count
        self.factory = factory
        self.requestedFactory = requestedFactory
        self.metric = metric
        self.dimension = dimension
        self.excludedTombstones = excludedTombstones
        self.bytes = bytes
        self.kind = kind ?? .writing(factory: factory)
    }

    /// The embedding ids the segment covers.
    public var range: ClosedRange<Int64> { firstID...lastID }

    /// Whether the segment fell back to `Flat` because it had too few vectors to train.
    public var isFallback: Bool { factory != requestedFactory }

    /// Fraction of the segment's vectors that are tombstoned; `tombstones` must be sorted.
    public func tombstoneFraction(sortedTombstones tombstones: [Int64]) -> Double {
        let live = max(0, SortedIDs.count(in: range, of: tombstones) - excludedTombstones)
        return count == 0 ? 0 : Double(live) / Double(count)
    }
}

/// Range queries on a sorted id array.
enum SortedIDs {
    /// Index of the first element not less than `id`.
    static func lowerBound(_ id: Int64, in ids: [Int64]) -> Int {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The elements inside `range`.
    static func slice(in range: ClosedRange<Int64>, of ids: [Int64]) -> ArraySlice<Int64> {
        let start = lowerBound(range.lowerBound, in: ids)
        let end = range.upperBound == .max ? ids.count : lowerBound(range.upperBound + 1, in: ids)
        return ids[start..<max(start, end)]
    }

    /// How many elements fall inside `range`.
    static func count(in range: ClosedRange<Int64>, of ids: [Int64]) -> Int {
        slice(in: range, of: ids).count
    }
}
