import Common
/// Knobs of one ANN search.
public struct ANNSearchOptions: Sendable, Equatable {
    /// Each segment returns `k × overFetch` candidates for exact re-ranking. With `…,Flat` storage
    /// FAISS's own distances are already exact, so 1 suffices (re-ranking then only restores full
    /// precision); raise it for compressed codes (`PQ`, `SQ`), whose FAISS distances are estimates.
    /// HNSW explores at least `max(efSearch, k × overFetch)` nodes.
    public var overFetch: Int
    /// HNSW efSearch for this search (nil: the segment's stored value, 64 when facejob built it).
    public var efSearch: Int?
    /// IVF nprobe for this search, per segment (nil: the segment's stored value, 16 when facejob built it).
    public var nprobe: Int?

    /// Options; the defaults suit `HNSW32,Flat` and `IVF…,Flat`.
    public init(overFetch: Int = 1, efSearch: Int? = nil, nprobe: Int? = nil) {
        self.overFetch = overFetch
        self.efSearch = efSearch
        self.nprobe = nprobe
    }
}

/// Approximate search over a watchlist's segments, with exact answers where it matters: every
/// segment is asked for `k × overFetch` candidates (tombstones excluded inside FAISS), embeddings
/// not yet covered by any segment are searched exactly, and the union is re-ranked with exact
/// distances against the stored vectors. The reported distances are therefore the exact
/// searcher's own, and a candidate FAISS finds is never mis-scored.
///
/// Immutable after `init`; searches may run concurrently.
public final class SegmentedANNIndex: Sendable {
    private enum Engine: Sendable {
        case faiss(FaissIndex)
        case native(NativeIVFIndex)
    }

    private struct Loaded: Sendable {
        let range: ClosedRange<Int64>
        let count: Int
        let engine: Engine
    }

    /// Exact searcher over all stored vectors: re-ranking, and the reference for tests.
    public let exact: ExactSearcher
    /// FAISS segments one by one, and facejob's IVF segments merged per set of shared centroids.
    private let loaded: [Loaded]
    /// Segments loaded.
    public let segmentCount: Int
    /// Gallery rows no segment covers (registered after the last build, or under a segment this
    /// build cannot read), searched exactly.
    private let uncovered: ExactSearcher?
    /// Segments written by another FAISS build or IVF format: their embeddings are searched
    /// exactly until `facejob index build` rebuilds them.
    public let unreadable: [IndexSegment]

    /// Loads segments (deserialising their bytes) beside the gallery they index. Bytes that this
    /// build wrote but cannot read throw `SearchError.unreadableSegment`, naming the segment.
    public init(segments: [IndexSegment], gallery: EmbeddingMatrix, metric: Metric) throws {
        let exact = ExactSearcher(gallery: gallery, metric: metric)
        var loaded: [Loaded] = []
        var covered: [ClosedRange<Int64>] = []
        var unreadable: [IndexSegment] = []
        var native: [(layout: NativeIVFLayout, segments: [NativeIVFLayout], range: ClosedRange<Int64>)] = []
        for segment in segments.sorted(by: { $0.firstID < $1.firstID }) {
            guard segment.metric == metric, segment.dimension == gallery.dimension else {
                throw SearchError.segmentMismatch("segment \(segment.range) is \(segment.metric)/\(segment.dimension)-d, the gallery \(metric)/\(gallery.dimension)-d")
            }
            if let previous = covered.last, previous.overlaps(segment.range) {
                throw SearchError.segmentMismatch("segments \(previous) and \(segment.range) overlap")
            }
            guard segment.kind.isReadable else {
                unreadable.append(segment)
                continue
            }
            covered.append(segment.range)
            if segment.kind == .nativeIVF {
                let layout = try Self.load(segment, dimension: gallery.dimension, read: NativeIVFLayout.init(decoding:),
                                           dimensionOf: \.dimension)
                if let g = native.firstIndex(where: { $0.layout.centroids == layout.centroids }) {
                    native[g].segments.append(layout)
                    native[g].range = native[g].range.lowerBound...segment.lastID
                } else {
                    native.append((layout, [layout], segment.range))
                }
                continue
            }
            let index = try Self.load(segment, dimension: gallery.dimension, read: FaissIndex.init(serialized:),
                                      dimensionOf: \.dimension)
            loaded.append(Loaded(range: segment.range, count: index.count, engine: .faiss(index)))
        }
        for group in native {
            let index = NativeIVFIndex(layouts: group.segments, exact: exact)
            loaded.append(Loaded(range: group.range, count: index.count, engine: .native(index)))
        }
        var uncoveredRows: [Int] = []
        var next = 0
        for range in covered {
            let rows = gallery.rows(in: range)
            uncoveredRows += Array(next..<max(next, rows.lowerBound))
            next = max(next, rows.upperBound)
        }
        uncoveredRows += Array(next..<gallery.count)
        self.loaded = loaded
        segmentCount = covered.count
        self.exact = exact
        self.unreadable = unreadable
        uncovered = uncoveredRows.isEmpty ? nil : ExactSearcher(gallery: try Self.gather(gallery, rows: uncoveredRows), metric: metric)
    }

    /// A segment's bytes read by `read`: a read that fails names the segment and the remedy, and
    /// bytes of another dimension are refused.
    private static func load<T>(_ segment: IndexSegment, dimension: Int, read: ([UInt8]) throws -> T,
                                dimensionOf: (T) -> Int) throws -> T {
        let loaded: T
        do {
            loaded = try read(segment.bytes)
        } catch {
            throw SearchError.unreadableSegment(range: segment.range, kind: segment.kind.description, reason: "\(error)")
        }
        guard dimensionOf(loaded) == dimension else {
            throw SearchError.segmentMismatch("segment \(segment.range) bytes hold \(dimensionOf(loaded))-d vectors")
        }
        return loaded
    }

    /// Embeddings searched exactly because no segment covers them yet.
    public var uncoveredCount: Int { uncovered?.gallery.count ?? 0 }

    /// The `k` nearest stored embeddings of each row-major query, best first, ties by id,
    /// never returning an id in `excluded`.
    public func search(_ queries: [Float], k: Int, excluding excluded: Set<Int64> = [],
                       options: ANNSearchOptions = ANNSearchOptions()) throws -> [[SearchHit]] {
        guard k > 0 else { throw SearchError.invalidCount(name: "k", value: k) }
        guard options.overFetch > 0 else { throw SearchError.invalidCount(name: "over-fetch", value: options.overFetch) }
        let d = exact.dimension
        guard queries.count % d == 0 else { throw SearchError.dimensionMismatch(expected: d, got: queries.count % d) }
        let m = queries.count / d
        guard m > 0 else { return [] }
        let prepared = exact.prepareQueries(queries)
        let sortedExcluded = excluded.sorted()
        var candidates = [[Int64]](repeating: [], count: m)
        for segment in loaded where segment.count > 0 {
            let fetch = min(segment.count, k * options.overFetch)
            switch segment.engine {
            case .native(let index):
                let found = index.candidates(prepared, m: m, k: fetch, nprobe: options.nprobe ?? SegmentFactory.defaultNprobe,
                                             excluded: excluded)
                for i in 0..<m { candidates[i] += found[i] }
            case .faiss(let index):
                let faissOptions = FaissSearchOptions(efSearch: options.efSearch, nprobe: options.nprobe,
                                                      excludedIDs: Array(SortedIDs.slice(in: segment.range, of: sortedExcluded)))
                let result = try index.search(prepared, k: fetch, options: faissOptions)
                for i in 0..<m {
                    for slot in i * fetch..<(i + 1) * fetch where result.ids[slot] >= 0 {
                        candidates[i].append(result.ids[slot])
                    }
                }
            }
        }
        if let uncovered {
            let tail = try uncovered.search(queries, k: k, excluding: excluded)
            for i in 0..<m { candidates[i] += tail[i].map(\.id) }
        }
        var results = [[SearchHit]](repeating: [], count: m)
        let gallery = exact.gallery
        prepared.withUnsafeBufferPointer { q in
            results.withUnsafeMutableBufferPointer { out in
                VectorMath.parallelChunks(m, minimumPerChunk: 4) { range in
                    for i in range {
                        // FAISS already skipped tombstones; checking again also covers segments
                        // whose candidates came back from a stale id map.
                        let rows = Set(candidates[i]).filter { !excluded.contains($0) }.compactMap { gallery.row(of: $0) }
                        out[i] = exact.rank(rows: rows, query: UnsafeBufferPointer(rebasing: q[i * d..<(i + 1) * d]), k: k)
                    }
                }
            }
        }
        return results
    }

    private static func gather(_ gallery: EmbeddingMatrix, rows: [Int]) throws -> EmbeddingMatrix {
        var vectors: [Float] = []
        vectors.reserveCapacity(rows.count * gallery.dimension)
        for row in rows { vectors += gallery.vector(atRow: row) }
        return try EmbeddingMatrix(dimension: gallery.dimension, ids: rows.map { gallery.ids[$0] }, vectors: vectors)
    }
}
