import Common
import XCTest
@testable import Search

/// ANN over segments: after re-ranking, the top k equals the exact top k on small sets.
final class SegmentedANNIndexTests: XCTestCase {
    let d = 32

    private func buildIndex(_ gallery: EmbeddingMatrix, factory: String, metric: Metric,
                            batchSize: Int = 256, capacity: Int = 1024) throws -> SegmentedANNIndex {
        let store = InMemorySegmentStore()
        let options = SegmentBuildOptions(factory: factory, metric: metric, dimension: d,
                                          batchSize: batchSize, segmentCapacity: capacity)
        try SegmentBuilder(options: options).build(from: gallery, into: store)
        return try SegmentedANNIndex(segments: try store.segments(), gallery: gallery, metric: metric)
    }

    func testANNTopKEqualsExactTopK() throws {
        let gallery = try TestVectors.gallery(3000, d, seed: 21)
        let queries = TestVectors.random(40, d, seed: 22)
        for metric in Metric.allCases {
            for factory in ["Flat", "HNSW32,Flat", "IVF16,Flat", "NativeIVF16"] {
                let ann = try buildIndex(gallery, factory: factory, metric: metric)
                XCTAssertEqual(ann.segmentCount, 3, "3000 vectors in segments of at most 1024")
                XCTAssertEqual(ann.uncoveredCount, 0)
                let got = try ann.search(queries, k: 5, options: ANNSearchOptions(overFetch: 8, efSearch: 128, nprobe: 16))
                let want = try ann.exact.search(queries, k: 5)
                XCTAssertEqual(got, want, "\(factory) \(metric)")
            }
        }
    }

    func testTombstonesAreInvisible() throws {
        let gallery = try TestVectors.gallery(2000, d, seed: 23)
        let queries = Array(gallery.vectors[0..<(10 * d)])
        let excluded = Set(gallery.ids[0..<10])
        for factory in ["Flat", "HNSW32,Flat", "IVF16,Flat", "NativeIVF16"] {
            let ann = try buildIndex(gallery, factory: factory, metric: .euclidean)
            let before = try ann.search(queries, k: 1)
            XCTAssertEqual(before.map { $0[0].id }, Array(gallery.ids[0..<10]), factory)
            let got = try ann.search(queries, k: 5, excluding: excluded, options: ANNSearchOptions(overFetch: 8, efSearch: 128, nprobe: 16))
            XCTAssertTrue(got.joined().allSatisfy { !excluded.contains($0.id) }, factory)
            XCTAssertEqual(got, try ann.exact.search(queries, k: 5, excluding: excluded), factory)
        }
    }

    func testEmbeddingsNewerThanTheIndexAreSearchedExactly() throws {
        let gallery = try TestVectors.gallery(1500, d, seed: 24)
        let store = InMemorySegmentStore()
        let options = SegmentBuildOptions(factory: "HNSW32,Flat", metric: .euclidean, dimension: d,
                                          batchSize: 500, segmentCapacity: 1000)
        try SegmentBuilder(options: options).build(from: gallery, into: store, maxBatches: 2)
        let ann = try SegmentedANNIndex(segments: try store.segments(), gallery: gallery, metric: .euclidean)
        XCTAssertEqual(ann.uncoveredCount, 500)
        let queries = Array(gallery.vectors[(1400 * d)..<(1410 * d)])  // vectors only the tail holds
        XCTAssertEqual(try ann.search(queries, k: 3), try ann.exact.search(queries, k: 3))
        XCTAssertEqual(try ann.search(queries, k: 1).map { $0[0].id }, Array(gallery.ids[1400..<1410]))
    }

    func testKBeyondGalleryAndBadInput() throws {
        let gallery = try TestVectors.gallery(20, d, seed: 25)
        let ann = try buildIndex(gallery, factory: "HNSW32,Flat", metric: .cosine, batchSize: 8, capacity: 16)
        let queries = TestVectors.random(2, d, seed: 26)
        XCTAssertEqual(try ann.search(queries, k: 50), try ann.exact.search(queries, k: 50))
        XCTAssertEqual(try ann.search(queries, k: 50)[0].count, 20)
        XCTAssertThrowsError(try ann.search([1], k: 1))
        XCTAssertThrowsError(try ann.search(queries, k: 0))
        let segments = try InMemorySegmentStore().segments()
        XCTAssertEqual(segments, [])
        let other = try TestVectors.gallery(20, 16, seed: 1)
        let store = InMemorySegmentStore()
        try SegmentBuilder(options: SegmentBuildOptions(factory: "Flat", metric: .cosine, dimension: d, batchSize: 8, segmentCapacity: 16))
            .build(from: gallery, into: store)
        XCTAssertThrowsError(try SegmentedANNIndex(segments: try store.segments(), gallery: other, metric: .cosine))
        XCTAssertThrowsError(try SegmentedANNIndex(segments: try store.segments(), gallery: gallery, metric: .euclidean))
    }
}
