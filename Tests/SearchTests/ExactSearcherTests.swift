import Common
import XCTest
@testable import Search

/// The sgemm searcher against a plain loop: both metrics, ties, tombstones, k beyond the gallery.
final class ExactSearcherTests: XCTestCase {
    let d = 24

    private func assertMatchesNaive(_ gallery: EmbeddingMatrix, metric: Metric, queries: [Float], k: Int,
                                    excluding excluded: Set<Int64> = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let searcher = ExactSearcher(gallery: gallery, metric: metric)
        let results = try searcher.search(queries, k: k, excluding: excluded)
        let m = queries.count / gallery.dimension
        XCTAssertEqual(results.count, m, file: file, line: line)
        for i in 0..<m {
            let query = Array(queries[i * gallery.dimension..<(i + 1) * gallery.dimension])
            let expected = TestVectors.naive(gallery, query: query, k: k, metric: metric, excluding: excluded)
            XCTAssertEqual(results[i].map(\.id), expected.map(\.id), "\(metric) query \(i)", file: file, line: line)
            XCTAssertEqual(results[i].map(\.rank), Array(1..<(expected.count + 1)), file: file, line: line)
            for (hit, want) in zip(results[i], expected) {
                XCTAssertEqual(hit.distance, want.distance, accuracy: 1e-5 * max(1, want.distance), file: file, line: line)
            }
        }
    }

    func testEuclideanMatchesNaiveLoop() throws {
        // More rows than one sgemm block and more queries than one query block, so block edges are crossed.
        let gallery = try TestVectors.gallery(ExactSearcher.galleryBlock + 301, d, seed: 1)
        try assertMatchesNaive(gallery, metric: .euclidean, queries: TestVectors.random(ExactSearcher.queryBlock + 7, d, seed: 2), k: 7)
    }

    func testCosineMatchesNaiveLoop() throws {
        let gallery = try TestVectors.gallery(3000, d, seed: 3)
        try assertMatchesNaive(gallery, metric: .cosine, queries: TestVectors.random(40, d, seed: 4), k: 12)
    }

    func testTiesBreakByID() throws {
        // Small integers make every dot product exact, so tied distances are tied bit for bit.
        let base: [Float] = (0..<d).map { Float($0 % 3) }
        let other: [Float] = (0..<d).map { Float(($0 + 1) % 3) }
        var vectors: [Float] = []
        let ids: [Int64] = [5, 9, 12, 20, 31, 40, 41]
        for (i, _) in ids.enumerated() { vectors += i.isMultiple(of: 2) ? base : other }
        let gallery = try EmbeddingMatrix(dimension: d, ids: ids, vectors: vectors)
        for metric in Metric.allCases {
            let hits = try ExactSearcher(gallery: gallery, metric: metric).search(base, k: 3)[0]
            XCTAssertEqual(hits.map(\.id), [5, 12, 31], "\(metric)")
            XCTAssertEqual(Set(hits.map(\.distance)).count, 1, "\(metric): tied distances")
            XCTAssertLessThanOrEqual(hits[0].distance, 1e-6, "\(metric)")
            try assertMatchesNaive(gallery, metric: metric, queries: base + other, k: 5)
        }
    }

    /// Ties across the sixteen-row blocks the scan skips at once: the same ids as row by row.
    func testTiesAcrossSkippedBlocks() throws {
        let base: [Float] = (0..<d).map { Float($0 % 3) }
        let other: [Float] = (0..<d).map { Float(($0 + 1) % 3) }
        let ids = (0..<203).map { Int64(1000 + 7 * $0) }
        let vectors = ids.indices.flatMap { $0 % 5 == 3 ? base : other }
        let gallery = try EmbeddingMatrix(dimension: d, ids: ids, vectors: vectors)
        for metric in Metric.allCases {
            let hits = try ExactSearcher(gallery: gallery, metric: metric).search(base, k: 4)[0]
            XCTAssertEqual(hits.map(\.id), [3, 8, 13, 18].map { ids[$0] }, "\(metric)")
            try assertMatchesNaive(gallery, metric: metric, queries: base + other, k: 9)
        }
    }

    func testTombstonesAreSkipped() throws {
        let gallery = try TestVectors.gallery(500, d, seed: 5)
        let queries = Array(gallery.vectors[0..<(3 * d)])  // their own nearest neighbours are ids 1000, 1003, 1006
        let excluded: Set<Int64> = [1000, 1003, 1006, 1009, 1300]
        let hits = try ExactSearcher(gallery: gallery, metric: .euclidean).search(queries, k: 5, excluding: excluded)
        XCTAssertTrue(hits.joined().allSatisfy { !excluded.contains($0.id) })
        try assertMatchesNaive(gallery, metric: .euclidean, queries: queries, k: 5, excluding: excluded)
        try assertMatchesNaive(gallery, metric: .cosine, queries: queries, k: 5, excluding: excluded)
    }

    func testKBeyondGalleryReturnsEverything() throws {
        let gallery = try TestVectors.gallery(6, d, seed: 6)
        let hits = try ExactSearcher(gallery: gallery, metric: .euclidean).search(TestVectors.random(2, d, seed: 7), k: 50)
        XCTAssertEqual(hits.map(\.count), [6, 6])
        XCTAssertEqual(hits[0].map(\.rank), [1, 2, 3, 4, 5, 6])
        try assertMatchesNaive(gallery, metric: .euclidean, queries: TestVectors.random(2, d, seed: 7), k: 50, excluding: [1003])
    }

    func testEmptyGalleryAndBadInput() throws {
        let empty = ExactSearcher(gallery: EmbeddingMatrix(dimension: d), metric: .euclidean)
        XCTAssertEqual(try empty.search(TestVectors.random(3, d, seed: 1), k: 2), [[], [], []])
        let searcher = ExactSearcher(gallery: try TestVectors.gallery(10, d, seed: 1), metric: .cosine)
        XCTAssertEqual(try searcher.search([], k: 2), [])
        XCTAssertThrowsError(try searcher.search([1, 2, 3], k: 2)) { error in
            XCTAssertEqual(error as? SearchError, .dimensionMismatch(expected: d, got: 3))
        }
        XCTAssertThrowsError(try searcher.search(TestVectors.random(1, d, seed: 1), k: 0))
        XCTAssertThrowsError(try EmbeddingMatrix(dimension: 2, ids: [3, 2], vectors: [0, 0, 1, 1])) { error in
            XCTAssertEqual(error as? SearchError, .idsNotAscending(previous: 3, next: 2))
        }
        XCTAssertThrowsError(try EmbeddingMatrix(dimension: 2, ids: [1], vectors: [0, 0, 1, 1]))
    }

    func testNearDuplicateDistanceIsAccurate() throws {
        // ‖q‖² + ‖x‖² − 2q·x cancels badly for close pairs; the reported distance must not.
        let x = TestVectors.random(1, d, seed: 9).map { $0 * 10 }
        var q = x
        q[0] += 1e-3
        let gallery = try EmbeddingMatrix(dimension: d, ids: [1], vectors: x)
        let hit = try ExactSearcher(gallery: gallery, metric: .euclidean).search(q, k: 1)[0][0]
        XCTAssertEqual(hit.distance, 1e-3, accuracy: 3e-6)
    }
}
