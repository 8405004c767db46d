import CFaiss

/// How FAISS compares vectors. facejob's euclidean search uses `.l2` (FAISS reports squared
/// distances); cosine search uses `.innerProduct` over unit-normalised vectors.
public enum FaissMetric: Int32, Sendable {
    /// Inner product: larger is closer.
    case innerProduct = 0
    /// Squared euclidean distance: smaller is closer.
    case l2 = 1
}

/// Per-call search knobs; they never change the index, so concurrent searches may differ.
public struct FaissSearchOptions: Sendable {
    /// HNSW's efSearch for this call (nil: the index's own value). FAISS 1.7.3 only honours the
    /// index's own efSearch fully, so `FaissIndex` sets it for the call under its exclusive lock:
    /// searches asking for a different efSearch than the index holds run one at a time.
    public var efSearch: Int?
    /// IVF's nprobe for this call (nil: the index's own value).
    public var nprobe: Int?
    /// Ids FAISS must never return (tombstones).
    public var excludedIDs: [Int64]

    /// Options with everything left to the index.
    public init(efSearch: Int? = nil, nprobe: Int? = nil, excludedIDs: [Int64] = []) {
        self.efSearch = efSearch
        self.nprobe = nprobe
        self.excludedIDs = excludedIDs
    }
}

/// FAISS's answer for a batch of queries: `k` slots per query, row-major; empty slots have id -1.
public struct FaissSearchResult: Sendable, Equatable {
    /// Slots per query.
    public let k: Int
    /// Distances as FAISS reports them (squared for L2).
    public let distances: [Float]
    /// Ids, -1 where fewer than k vectors matched.
    public let ids: [Int64]

    /// The filled (id, distance) pairs of query `i`, best first.
    public func hits(ofQuery i: Int) -> [(id: Int64, distance: Float)] {
        (i * k..<(i + 1) * k).compactMap { ids[$0] >= 0 ? (ids[$0], distances[$0]) : nil }
    }
}

/// A FAISS index behind the C shim. The class owns its handle and frees it on deinit.
///
/// Sendable: searches take a shared lock and pass their knobs per call (FAISS searches are const),
/// so any number of threads may search at once; `train`, `add`, `remove` and the setters take an
/// exclusive lock and wait for running searches.
public final class FaissIndex: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = ReadWriteLock()
    /// Vector dimension.
    public let dimension: Int
    /// Whether efSearch applies (an HNSW index, possibly under an id map).
    private let isHNSW: Bool

    /// Builds an index from a FAISS factory string such as `Flat`, `HNSW32,Flat` or `IVF64,Flat`.
    public init(dimension: Int, factory: String, metric: FaissMetric) throws {
        guard dimension > 0 else { throw SearchError.invalidCount(name: "dimension", value: dimension) }
        var out: OpaquePointer?
        try FaissError.check(cfaiss_index_factory(&out, Int32(dimension), factory, metric.rawValue),
                             "index_factory(\"\(factory)\")")
        guard let out else { throw FaissError(status: CFAISS_ERR_UNKNOWN, operation: "index_factory", message: "no index") }
        handle = out
        self.dimension = dimension
        isHNSW = Self.hasEfSearch(out)
    }

    /// Reads an index back from bytes produced by `serialized()`.
    public init(serialized bytes: [UInt8]) throws {
        var out: OpaquePointer?
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                throw FaissError(status: CFAISS_ERR_ARGUMENT, operation: "deserialize", message: "empty buffer")
            }
            try FaissError.check(cfaiss_index_deserialize(base, buffer.count, &out), "deserialize")
        }
        guard let out else { throw FaissError(status: CFAISS_ERR_UNKNOWN, operation: "deserialize", message: "no index") }
        var d: Int32 = 0
        _ = cfaiss_index_d(out, &d)
        handle = out
        dimension = Int(d)
        isHNSW = Self.hasEfSearch(out)
    }

    deinit { cfaiss_index_free(handle) }

    /// Number of vectors stored.
    public var count: Int {
        lock.withReadLock {
            var n: Int64 = 0
            _ = cfaiss_index_ntotal(handle, &n)
            return Int(n)
        }
    }

    /// Whether the index is ready for `add` (IVF and PQ need `train` first).
    public var isTrained: Bool {
        lock.withReadLock {
            var t: Int32 = 0
            _ = cfaiss_index_is_trained(handle, &t)
            return t != 0
        }
    }

    /// The metric the index was built with.
    public var metric: FaissMetric {
        lock.withReadLock {
            var m: Int32 = 0
            _ = cfaiss_index_metric(handle, &m)
            return FaissMetric(rawValue: m) ?? .l2
        }
    }

    /// Trains on row-major vectors (a no-op for indexes that need none).
    public func train(_ vectors: [Float]) throws {
        let n = try rows(vectors)
        try lock.withWriteLock {
            try FaissError.check(cfaiss_index_train(handle, Int64(n), vectors), "train")
        }
    }

    /// Adds row-major vectors under the given ids.
    public func add(_ vectors: [Float], ids: [Int64]) throws {
        let n = try rows(vectors)
        guard n == ids.count else { throw SearchError.idCountMismatch(ids: ids.count, vectors: n) }
        try lock.withWriteLock {
            try FaissError.check(cfaiss_index_add_with_ids(handle, Int64(n), vectors, ids), "add_with_ids")
        }
    }

    /// Searches a batch of row-major queries for their `k` nearest.
    public func search(_ queries: [Float], k: Int, options: FaissSearchOptions = FaissSearchOptions()) throws -> FaissSearchResult {
        guard k > 0 else { throw SearchError.invalidCount(name: "k", value: k) }
        let n = try rows(queries)
        var distances = [Float](repeating: 0, count: n * k)
        var labels = [Int64](repeating: -1, count: n * k)
        try options.excludedIDs.withUnsafeBufferPointer { excluded in
            var opts = cfaiss_search_options(nprobe: Int32(clamping: options.nprobe ?? 0),
                                             excluded_ids: excluded.baseAddress, n_excluded: excluded.count)
            let run = {
                try FaissError.check(cfaiss_index_search(self.handle, Int64(n), queries, Int64(k), &opts,
                                                         &distances, &labels), "search")
            }
            if isHNSW, let wanted = options.efSearch {
                try lock.withWriteLock {
                    var current: Int32 = 0
                    try FaissError.check(cfaiss_index_ef_search(handle, &current), "efSearch")
                    try FaissError.check(cfaiss_index_set_ef_search(handle, Int32(clamping: wanted)), "set efSearch")
                    defer { _ = cfaiss_index_set_ef_search(handle, current) }
                    try run()
                }
            } else {
                try lock.withReadLock { try run() }
            }
        }
        return FaissSearchResult(k: k, distances: distances, ids: labels)
    }

    /// Removes ids and returns how many were present. FAISS cannot remove from HNSW: that throws.
    @discardableResult
    public func remove(ids: [Int64]) throws -> Int {
        var removed = 0
        try lock.withWriteLock {
            try FaissError.check(cfaiss_index_remove_ids(handle, ids, ids.count, &removed), "remove_ids")
        }
        return removed
    }

    /// Sets a named parameter through FAISS's ParameterSpace (`efSearch`, `nprobe`, ...).
    public func setParameter(_ name: String, _ value: Double) throws {
        try lock.withWriteLock {
            try FaissError.check(cfaiss_index_set_parameter(handle, name, value), "set \(name)")
        }
    }

    /// Sets HNSW's default efSearch; throws for other index types.
    public func setEfSearch(_ value: Int) throws {
        try lock.withWriteLock {
            try FaissError.check(cfaiss_index_set_ef_search(handle, Int32(clamping: value)), "set efSearch")
        }
    }

    /// HNSW's default efSearch, or nil for other index types.
    public var efSearch: Int? {
        lock.withReadLock {
            var value: Int32 = 0
            return cfaiss_index_ef_search(handle, &value) == CFAISS_OK ? Int(value) : nil
        }
    }

    /// IVF's default nprobe, or nil for other index types.
    public var nprobe: Int? {
        lock.withReadLock {
            var value: Int32 = 0
            return cfaiss_index_nprobe(handle, &value) == CFAISS_OK ? Int(value) : nil
        }
    }

    /// Sets IVF's default nprobe; throws for other index types.
    public func setNprobe(_ value: Int) throws {
        try lock.withWriteLock {
            try FaissError.check(cfaiss_index_set_nprobe(handle, Int32(clamping: value)), "set nprobe")
        }
    }

    /// The index as bytes, for storage; `init(serialized:)` reads them back.
    public func serialized() throws -> [UInt8] {
        try lock.withReadLock {
            var buffer: UnsafeMutablePointer<UInt8>?
            var size = 0
            try FaissError.check(cfaiss_index_serialize(handle, &buffer, &size), "serialize")
            defer { cfaiss_buffer_free(buffer) }
            guard let buffer else { return [] }
            return Array(UnsafeBufferPointer(start: buffer, count: size))
        }
    }

    /// OpenMP threads FAISS uses from now on, process-wide (nil or 0: OpenMP's default).
    public static func setThreads(_ count: Int?) {
        cfaiss_set_omp_threads(Int32(clamping: count ?? 0))
    }

    /// OpenMP threads FAISS uses now.
    public static var threads: Int { Int(cfaiss_get_omp_threads()) }

    /// Version of the FAISS library linked in.
    public static var libraryVersion: String { String(cString: cfaiss_version()) }

    private static func hasEfSearch(_ handle: OpaquePointer) -> Bool {
        var value: Int32 = 0
        return cfaiss_index_ef_search(handle, &value) == CFAISS_OK
    }

    private func rows(_ vectors: [Float]) throws -> Int {
        guard vectors.count % dimension == 0 else {
            throw SearchError.dimensionMismatch(expected: dimension, got: vectors.count % dimension)
        }
        return vectors.count / dimension
    }
}
