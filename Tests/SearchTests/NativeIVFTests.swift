import Common
import XCTest
@testable import Search

/// facejob's own IVF: k-means lists over the exact gallery, scanned with sgemm. Its recall is
/// checked against brute force on clustered data, its bytes round-trip and refuse damage, and
/// segments of a kind or version this build does not read are searched exactly and rebuilt.
final class NativeIVFTests: XCTestCase {
    let d = 32

    /// `identities × per` unit vectors around random centres, in shuffled id order: face-like data
    /// where a query's true neighbours are the samples of its own identity.
    private func clustered(identities: Int, per: Int, spread: Float, seed: UInt64) throws -> (EmbeddingMatrix, [Float]) {
        let centres = VectorMath.normalisedRows(TestVectors.random(identities, d, seed: seed), dimension: d)
        let noise = TestVectors.random(identities * per + identities, d, seed: seed + 1)
        var rows: [Float] = []
        for i in 0..<(identities * per + identities) {
            let c = (i * 7919) % identities
            for j in 0..<d { rows.append(centres[c * d + j] + spread * noise[i * d + j]) }
        }
        let all = VectorMath.normalisedRows(rows, dimension: d)
        let n = identities * per
        let gallery = try EmbeddingMatrix(dimension: d, ids: (0..<n).map { 10 + 2 * Int64($0) }, vectors: Array(all[0..<(n * d)]))
        return (gallery, Array(all[(n * d)...]))
    }

    private func build(_ gallery: EmbeddingMatrix, factory: String, metric: Metric = .euclidean,
                       capacity: Int = 8192) throws -> [IndexSegment] {
        let store = InMemorySegmentStore()
        let options = SegmentBuildOptions(factory: factory, metric: metric, dimension: d, batchSize: 2048, segmentCapacity: capacity)
        try SegmentBuilder(options: options).build(from: gallery, into: store)
        return try store.segments()
    }

    func testRecallAgainstBruteForceGrowsWithNprobeAndMatchesFaissIVF() throws {
        let (gallery, queries) = try clustered(identities: 400, per: 30, spread: 0.08, seed: 71)
        let exact = try ExactSearcher(gallery: gallery, metric: .euclidean).search(queries, k: 10).map { $0.map(\.id) }
        let native = try SegmentedANNIndex(segments: try build(gallery, factory: "NativeIVF64"), gallery: gallery, metric: .euclidean)
        let faiss = try SegmentedANNIndex(segments: try build(gallery, factory: "IVF64,Flat"), gallery: gallery, metric: .euclidean)
        XCTAssertEqual(native.segmentCount, 2, "12,000 vectors in segments of at most 8,192")
        var previous = 0.0
        for nprobe in [1, 4, 16, 64] {
            let options = ANNSearchOptions(nprobe: nprobe)
            let recall = TestVectors.recall(try native.search(queries, k: 10, options: options).map { $0.map(\.id) }, exact)
            let faissRecall = TestVectors.recall(try faiss.search(queries, k: 10, options: options).map { $0.map(\.id) }, exact)
            XCTAssertGreaterThanOrEqual(recall, previous, "recall never falls as nprobe grows (nprobe \(nprobe))")
            XCTAssertGreaterThan(recall, faissRecall - 0.05, "within 5 points of FAISS's IVF at nprobe \(nprobe)")
            previous = recall
        }
        XCTAssertEqual(previous, 1, "probing every list is exact")
        let few = TestVectors.recall(try native.search(queries, k: 10, options: ANNSearchOptions(nprobe: 1)).map { $0.map(\.id) }, exact)
        XCTAssertLessThan(few, 1, "one list of 64 is an approximation, or the lists were never used")
        XCTAssertGreaterThan(few, 0.5)
    }

    func testLaterSegmentsShareCentroidsTrainedOnTheWholeFirstSegment() throws {
        let (gallery, queries) = try clustered(identities: 400, per: 30, spread: 0.08, seed: 76)
        let segmented = try build(gallery, factory: "NativeIVF16", capacity: 4096)
        XCTAssertEqual(segmented.map(\.count), [4096, 4096, 3808])
        let layouts = try segmented.map { try NativeIVFLayout(decoding: $0.bytes) }
        XCTAssertEqual(Set(layouts.map { $0.centroids.map(\.bitPattern) }).count, 1, "one set of centroids for the index")
        XCTAssertEqual(layouts.map(\.trainedOn), [4096, 0, 0], "trained again on the whole first segment when it was sealed")
        let whole = try build(gallery, factory: "NativeIVF16", capacity: 65_536)
        XCTAssertEqual(try NativeIVFLayout(decoding: whole[0].bytes).trainedOn, 4096,
                       "the one segment retrained as it doubled, up to 256 rows per list")
        let exact = try ExactSearcher(gallery: gallery, metric: .euclidean).search(queries, k: 10).map { $0.map(\.id) }
        let a = try SegmentedANNIndex(segments: segmented, gallery: gallery, metric: .euclidean)
        XCTAssertEqual(a.segmentCount, 3)
        let b = try SegmentedANNIndex(segments: whole, gallery: gallery, metric: .euclidean)
        let options = ANNSearchOptions(nprobe: 2)
        let segmentedRecall = TestVectors.recall(try a.search(queries, k: 10, options: options).map { $0.map(\.id) }, exact)
        let wholeRecall = TestVectors.recall(try b.search(queries, k: 10, options: options).map { $0.map(\.id) }, exact)
        XCTAssertLessThan(segmentedRecall, 1, "two lists of sixteen are an approximation")
        XCTAssertEqual(segmentedRecall, wholeRecall, accuracy: 0.02, "segments searched as one index")
    }

    func testSegmentsHoldIdsNotVectorsAndRoundTrip() throws {
        let (gallery, _) = try clustered(identities: 100, per: 30, spread: 0.1, seed: 72)
        let segments = try build(gallery, factory: "NativeIVF32", capacity: 4096)
        XCTAssertEqual(segments.map(\.kind), [.nativeIVF])
        XCTAssertEqual(segments[0].factory, "NativeIVF32")
        let layout = try NativeIVFLayout(decoding: segments[0].bytes)
        XCTAssertEqual(layout.count, 3000)
        XCTAssertEqual(layout.lists.count, 32)
        XCTAssertEqual(Set(layout.lists.joined()), Set(gallery.ids), "every id in exactly one list")
        XCTAssertTrue(layout.lists.allSatisfy { $0 == $0.sorted() })
        XCTAssertEqual(segments[0].bytes.count, NativeIVFLayout.headerBytes + 32 * d * 4 + 32 * 4 + 3000 * 8)
        XCTAssertEqual(layout.encoded(), segments[0].bytes)
        XCTAssertLessThan(layout.lists.map(\.count).max() ?? 0, 3000 / 4, "k-means spreads the vectors over the lists")
    }

    func testDamagedBytesAreNamedNotRead() throws {
        let (gallery, queries) = try clustered(identities: 50, per: 30, spread: 0.1, seed: 73)
        let segment = try build(gallery, factory: "NativeIVF8")[0]
        for (what, bytes) in [("truncated", Array(segment.bytes.dropLast(3))), ("empty", []),
                              ("other magic", [UInt8](repeating: 7, count: segment.bytes.count)),
                              ("list sizes", Self.overwrite(segment.bytes, at: NativeIVFLayout.headerBytes + 8 * d * 4, with: 1))] {
            let damaged = IndexSegment(firstID: segment.firstID, lastID: segment.lastID, count: segment.count,
                                       factory: segment.factory, requestedFactory: segment.requestedFactory, metric: .euclidean,
                                       dimension: d, excludedTombstones: 0, bytes: bytes, kind: .nativeIVF)
            XCTAssertThrowsError(try SegmentedANNIndex(segments: [damaged], gallery: gallery, metric: .euclidean), what) { error in
                guard case SearchError.unreadableSegment(let range, _, _) = error else { return XCTFail("\(what): \(error)") }
                XCTAssertEqual(range, segment.range)
                XCTAssertTrue("\(error)".contains("--rebuild"), "\(error)")
            }
        }
        var newer = segment.bytes
        newer[8] = 9
        XCTAssertThrowsError(try NativeIVFLayout(decoding: newer)) { XCTAssertTrue("\($0)".contains("version 9"), "\($0)") }
        XCTAssertEqual(try SegmentedANNIndex(segments: [segment], gallery: gallery, metric: .euclidean).search(queries, k: 3,
                       options: ANNSearchOptions(nprobe: 8)), try ExactSearcher(gallery: gallery, metric: .euclidean).search(queries, k: 3))
    }

    func testSegmentsOfAnotherFaissVersionAreSearchedExactlyThenRebuilt() throws {
        let (gallery, queries) = try clustered(identities: 60, per: 40, spread: 0.1, seed: 74)
        let options = SegmentBuildOptions(factory: "IVF16,Flat", metric: .cosine, dimension: d, batchSize: 800, segmentCapacity: 1600)
        let store = InMemorySegmentStore()
        try SegmentBuilder(options: options).build(from: gallery, into: store)
        let built = try store.segments()
        XCTAssertEqual(built.map(\.count), [1600, 800])
        let old = SegmentKind(name: "faiss", version: "1.6.0")
        let foreign = built[0]
        let relabelled = IndexSegment(firstID: foreign.firstID, lastID: foreign.lastID, count: foreign.count, factory: foreign.factory,
                                      requestedFactory: foreign.requestedFactory, metric: .cosine, dimension: d,
                                      excludedTombstones: 0, bytes: [1, 2, 3], kind: old)
        try store.replace(firstIDs: [foreign.firstID], with: [relabelled])
        let ann = try SegmentedANNIndex(segments: try store.segments(), gallery: gallery, metric: .cosine)
        XCTAssertEqual(ann.unreadable.map(\.range), [foreign.range])
        XCTAssertEqual(ann.uncoveredCount, 1600, "its embeddings are searched exactly")
        XCTAssertEqual(try ann.search(queries, k: 5, options: ANNSearchOptions(nprobe: 16)), try ann.exact.search(queries, k: 5))

        let compactor = try SegmentCompactor(options: options)
        let report = try compactor.compact(source: gallery, store: store, tombstones: [])
        XCTAssertEqual(report.rebuilt, [foreign.range])
        XCTAssertEqual(report.unreadable.count, 1)
        XCTAssertTrue(report.unreadable[0].contains("faiss 1.6.0"), report.unreadable[0])
        let after = try store.segments()
        XCTAssertEqual(after.map(\.kind), [.faiss, .faiss])
        XCTAssertEqual(after.map(\.count), [1600, 800])
        XCTAssertEqual(try SegmentedANNIndex(segments: after, gallery: gallery, metric: .cosine).uncoveredCount, 0)
    }

    func testAnUnreadableOpenSegmentIsSealedNotExtended() throws {
        let (gallery, _) = try clustered(identities: 40, per: 30, spread: 0.1, seed: 75)
        let options = SegmentBuildOptions(factory: "NativeIVF4", metric: .euclidean, dimension: d, batchSize: 400, segmentCapacity: 1200)
        let store = InMemorySegmentStore()
        try SegmentBuilder(options: options).build(from: gallery.subset(rows: 0..<400), into: store)
        let open = try store.segments()[0]
        let future = IndexSegment(firstID: open.firstID, lastID: open.lastID, count: open.count, factory: open.factory,
                                  requestedFactory: open.requestedFactory, metric: .euclidean, dimension: d, excludedTombstones: 0,
                                  bytes: open.bytes, kind: SegmentKind(name: "facejob-ivf", version: "2"))
        try store.replace(firstIDs: [open.firstID], with: [future])
        try SegmentBuilder(options: options).build(from: gallery, into: store)
        XCTAssertEqual(try store.segments().map(\.count), [400, 800], "the open segment of another format was left as it was")
        XCTAssertEqual(try SegmentCompactor(options: options).compact(source: gallery, store: store, tombstones: []).rebuilt, [open.range])
        XCTAssertEqual(try store.segments().map(\.kind), [.nativeIVF, .nativeIVF])
    }

    private static func overwrite(_ bytes: [UInt8], at offset: Int, with value: UInt8) -> [UInt8] {
        var out = bytes
        out[offset] = value
        return out
    }
}
