/// What a segment of facejob's own IVF stores: the coarse centroids and, per centroid, the ids of
/// the embeddings assigned to it. No vectors: the loaded index takes them from the exact gallery
/// the search already holds for re-ranking, so a stored segment costs 8 bytes per face plus the
/// centroids, and growing the open segment rewrites little.
///
/// Bytes (little-endian): the 8-byte magic `FJIVF\0\0\0`, format version, dimension, list count,
/// vector count and training rows (0 when the centroids were inherited) as UInt32, the centroids as Float32 (`lists × dimension`), each list's size as
/// UInt32, then every list's ids as Int64, list by list, ascending inside a list.
struct NativeIVFLayout: Equatable {
    static let magic: [UInt8] = [0x46, 0x4A, 0x49, 0x56, 0x46, 0, 0, 0]
    /// Version of the byte format; a segment of another version is rebuilt, never guessed at.
    static let formatVersion: UInt32 = 1
    static let headerBytes = 28

    let dimension: Int
    /// `lists × dimension` floats, row-major.
    let centroids: [Float]
    /// The ids of each list, ascending.
    private(set) var lists: [[Int64]]
    /// Rows k-means trained these centroids on; 0 when they came from another segment.
    let trainedOn: Int

    /// Whether the centroids came from k-means (more than one list), so later segments may share them.
    var isTrained: Bool { lists.count > 1 }

    /// An empty layout over the same centroids: a new segment joining this one's index (which
    /// inherits them), or this very segment rebuilt (which still owns them).
    func sharingCentroids(owned: Bool = false) -> NativeIVFLayout {
        NativeIVFLayout(dimension: dimension, centroids: centroids, trainedOn: owned ? trainedOn : 0)
    }

    /// Whether this segment trained the index's centroids on fewer rows than it could train them
    /// on with `count` vectors: the segment that owns the centroids retrains as it doubles, and once
    /// more when it is sealed, so the centroids every later segment inherits saw a full sample.
    func trainsBetter(withCount count: Int) -> Bool {
        trainedOn > 0 && trainedOn < min(count, lists.count * Self.trainingRowsPerList)
    }

    /// An empty layout over centroids trained on `trainedOn` rows (0: inherited).
    init(dimension: Int, centroids: [Float], trainedOn: Int) {
        self.dimension = dimension
        self.centroids = centroids
        self.trainedOn = trainedOn
        lists = Array(repeating: [], count: centroids.count / dimension)
    }

    /// Rows of training sample per list, at most (FAISS's own cap): at 1,000,000 faces a
    /// quantizer trained on 48 rows per list lost 1.6 points of recall@10 at the same nprobe
    /// against one trained on 256 (docs/benchmarks.md), and 256 × 1,024 lists trains in seconds.
    static let trainingRowsPerList = 256
    /// Lloyd iterations.
    static let trainingIterations = 10

    /// An empty layout whose centroids k-means trains on an even stride of `count` prepared rows
    /// (one list needs no training: its centroid is the origin).
    static func trained(on vectors: [Float], count: Int, dimension d: Int, lists: Int) -> NativeIVFLayout {
        guard lists > 1, count >= lists else {
            return NativeIVFLayout(dimension: d, centroids: [Float](repeating: 0, count: d), trainedOn: 0)
        }
        let rows = min(count, lists * trainingRowsPerList)
        var sample = [Float](repeating: 0, count: rows * d)
        for r in 0..<rows {
            let source = r * count / rows
            for j in 0..<d { sample[r * d + j] = vectors[source * d + j] }
        }
        let centroids = sample.withUnsafeBufferPointer {
            KMeans.train($0, n: rows, d: d, k: lists, iterations: trainingIterations)
        }
        return NativeIVFLayout(dimension: d, centroids: centroids, trainedOn: rows)
    }

    /// Vectors in all lists.
    var count: Int { lists.reduce(0) { $0 + $1.count } }

    /// Assigns prepared vectors (as searched: unit rows for cosine) to their nearest centroids.
    /// Their ids must be greater than every id already held.
    mutating func add(_ vectors: [Float], ids: [Int64]) {
        let assignment = vectors.withUnsafeBufferPointer {
            KMeans.assign($0, n: ids.count, d: dimension, centroids: centroids, k: lists.count)
        }
        for (row, list) in assignment.enumerated() { lists[Int(list)].append(ids[row]) }
    }

    /// The stored bytes.
    func encoded() -> [UInt8] {
        var out: [UInt8] = Self.magic
        out.reserveCapacity(Self.headerBytes + centroids.count * 4 + lists.count * 4 + count * 8)
        for value in [Self.formatVersion, UInt32(dimension), UInt32(lists.count), UInt32(count), UInt32(trainedOn)] {
            withUnsafeBytes(of: value.littleEndian) { out += $0 }
        }
        for value in centroids { withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 } }
        for list in lists { withUnsafeBytes(of: UInt32(list.count).littleEndian) { out += $0 } }
        for list in lists {
            for id in list { withUnsafeBytes(of: id.littleEndian) { out += $0 } }
        }
        return out
    }

    /// Reads stored bytes back, checking every size against the header and the total length.
    init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard bytes.count >= Self.headerBytes, Array(bytes[0..<8]) == Self.magic else {
            throw NativeIVFError.notNativeIVF
        }
        reader.offset = 8
        let version = reader.uint32()
        guard version == Self.formatVersion else { throw NativeIVFError.formatVersion(version) }
        let dimension = Int(reader.uint32()), listCount = Int(reader.uint32()), count = Int(reader.uint32())
        let trainedOn = Int(reader.uint32())
        let expected = Self.headerBytes + listCount * dimension * 4 + listCount * 4 + count * 8
        guard dimension > 0, listCount > 0, bytes.count == expected else {
            throw NativeIVFError.truncated(expected: expected, got: bytes.count)
        }
        var centroids = [Float](repeating: 0, count: listCount * dimension)
        for i in centroids.indices { centroids[i] = Float(bitPattern: reader.uint32()) }
        let sizes = (0..<listCount).map { _ in Int(reader.uint32()) }
        guard sizes.reduce(0, +) == count else { throw NativeIVFError.listSizes(sum: sizes.reduce(0, +), count: count) }
        var lists: [[Int64]] = []
        lists.reserveCapacity(listCount)
        for size in sizes { lists.append((0..<size).map { _ in reader.int64() }) }
        self.dimension = dimension
        self.centroids = centroids
        self.lists = lists
        self.trainedOn = trainedOn
    }
}

/// Little-endian reads from a buffer whose length the caller has checked.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func uint32() -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[offset + i]) << (8 * i) }
        offset += 4
        return value
    }

    mutating func int64() -> Int64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[offset + i]) << (8 * i) }
        offset += 8
        return Int64(bitPattern: value)
    }
}

/// Bytes that are not a segment of facejob's own IVF, or not of this format version.
enum NativeIVFError: Error, CustomStringConvertible {
    case notNativeIVF
    case formatVersion(UInt32)
    case truncated(expected: Int, got: Int)
    case listSizes(sum: Int, count: Int)

    var description: String {
        switch self {
        case .notNativeIVF: return "the bytes do not start with facejob's IVF header"
        case .formatVersion(let v): return "facejob IVF format version \(v); this build reads version \(NativeIVFLayout.formatVersion)"
        case .truncated(let expected, let got): return "\(got) bytes where the header promises \(expected)"
        case .listSizes(let sum, let count): return "the list sizes add up to \(sum), the header says \(count) vectors"
        }
    }
}
