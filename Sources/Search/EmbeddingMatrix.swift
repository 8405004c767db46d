/// Embeddings held as one contiguous row-major matrix, with their ids strictly ascending (the
/// order the database assigns them), so a row is found by binary search and a range by two.
public struct EmbeddingMatrix: Sendable, Equatable {
    /// Vector dimension.
    public let dimension: Int
    /// Embedding ids, strictly ascending; row `i` of `vectors` belongs to `ids[i]`.
    public private(set) var ids: [Int64]
    /// `ids.count × dimension` floats, row-major.
    public private(set) var vectors: [Float]

    /// Checks shapes and id order.
    public init(dimension: Int, ids: [Int64], vectors: [Float]) throws {
        guard dimension > 0 else { throw SearchError.invalidCount(name: "dimension", value: dimension) }
        guard vectors.count % dimension == 0 else {
            throw SearchError.dimensionMismatch(expected: dimension, got: vectors.count % dimension)
        }
        guard ids.count == vectors.count / dimension else {
            throw SearchError.idCountMismatch(ids: ids.count, vectors: vectors.count / dimension)
        }
        for i in ids.indices.dropFirst() where ids[i] <= ids[i - 1] {
            throw SearchError.idsNotAscending(previous: ids[i - 1], next: ids[i])
        }
        self.dimension = dimension
        self.ids = ids
        self.vectors = vectors
    }

    /// An empty matrix of the given dimension.
    public init(dimension: Int) {
        self.dimension = max(1, dimension)
        ids = []
        vectors = []
    }

    /// Number of embeddings.
    public var count: Int { ids.count }

    /// Whether there are no embeddings.
    public var isEmpty: Bool { ids.isEmpty }

    /// Row of an id, or nil when absent.
    public func row(of id: Int64) -> Int? {
        let i = lowerBound(id)
        return i < ids.count && ids[i] == id ? i : nil
    }

    /// The vector of row `row`.
    public func vector(atRow row: Int) -> ArraySlice<Float> {
        vectors[row * dimension..<(row + 1) * dimension]
    }

    /// Rows whose ids fall in `range`, as a half-open row range.
    public func rows(in range: ClosedRange<Int64>) -> Range<Int> {
        let start = lowerBound(range.lowerBound)
        let end = range.upperBound == .max ? ids.count : lowerBound(range.upperBound + 1)
        return start..<max(start, end)
    }

    /// The embeddings whose ids fall in `range`.
    public func subset(in range: ClosedRange<Int64>) -> EmbeddingMatrix {
        subset(rows: rows(in: range))
    }

    /// The embeddings of a row range.
    public func subset(rows: Range<Int>) -> EmbeddingMatrix {
        var out = EmbeddingMatrix(dimension: dimension)
        out.ids = Array(ids[rows])
        out.vectors = Array(vectors[rows.lowerBound * dimension..<rows.upperBound * dimension])
        return out
    }

    /// The embeddings with ids greater than `id`, at most `limit` of them.
    public func prefix(after id: Int64?, limit: Int) -> EmbeddingMatrix {
        let start = id.map { $0 == .max ? ids.count : lowerBound($0 + 1) } ?? 0
        return subset(rows: start..<min(ids.count, start + max(0, limit)))
    }

    /// Appends embeddings whose ids are all greater than the current last id.
    public mutating func append(_ other: EmbeddingMatrix) throws {
        guard other.dimension == dimension else {
            throw SearchError.dimensionMismatch(expected: dimension, got: other.dimension)
        }
        if let last = ids.last, let first = other.ids.first, first <= last {
            throw SearchError.idsNotAscending(previous: last, next: first)
        }
        ids += other.ids
        vectors += other.vectors
    }

    /// The embeddings whose ids are not in `excluded`.
    public func removing(_ excluded: Set<Int64>) -> EmbeddingMatrix {
        guard !excluded.isEmpty else { return self }
        var out = EmbeddingMatrix(dimension: dimension)
        out.ids.reserveCapacity(ids.count)
        out.vectors.reserveCapacity(vectors.count)
        for (row, id) in ids.enumerated() where !excluded.contains(id) {
            out.ids.append(id)
            out.vectors += vectors[row * dimension..<(row + 1) * dimension]
        }
        return out
    }

    private func lowerBound(_ id: Int64) -> Int {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
