import CFaiss
import XCTest
@testable import Search

/// The FAISS shim end to end: real libfaiss, real vectors, answers checked against a plain loop.
final class FaissIndexTests: XCTestCase {
    let d = 32, n = 2000, nq = 50, k = 10

    private func build(_ factory: String, metric: FaissMetric = .l2) throws -> (FaissIndex, EmbeddingMatrix) {
        let gallery = try TestVectors.gallery(n, d, seed: 7)
        let index = try FaissIndex(dimension: d, factory: factory, metric: metric)
        if !index.isTrained { try index.train(gallery.vectors) }
        XCTAssertTrue(index.isTrained)
        try index.add(gallery.vectors, ids: gallery.ids)
        XCTAssertEqual(index.count, n)
        XCTAssertEqual(index.dimension, d)
        return (index, gallery)
    }

    private func reference(_ gallery: EmbeddingMatrix, _ queries: [Float]) -> [[(id: Int64, distance: Float)]] {
        (0..<nq).map { TestVectors.naive(gallery, query: Array(queries[$0 * d..<($0 + 1) * d]), k: k, metric: .euclidean) }
    }

    func testFlatAgreesWithBruteForceExactly() throws {
        let (index, gallery) = try build("Flat")
        let queries = TestVectors.random(nq, d, seed: 8)
        let result = try index.search(queries, k: k)
        let expected = reference(gallery, queries)
        for i in 0..<nq {
            let hits = result.hits(ofQuery: i)
            XCTAssertEqual(hits.map(\.id), expected[i].map(\.id), "query \(i)")
            for (hit, want) in zip(hits, expected[i]) {
                // FAISS reports squared L2.
                XCTAssertEqual(hit.distance.squareRoot(), want.distance, accuracy: 1e-3 * max(1, want.distance))
            }
        }
    }

    func testHNSWAgreesWithBruteForceAtHighRecall() throws {
        let (index, gallery) = try build("HNSW32,Flat")
        let queries = TestVectors.random(nq, d, seed: 9)
        let result = try index.search(queries, k: k, options: FaissSearchOptions(efSearch: 256))
        let recall = TestVectors.recall((0..<nq).map { result.hits(ofQuery: $0).map(\.id) },
                                        reference(gallery, queries).map { $0.map(\.id) })
        XCTAssertGreaterThanOrEqual(recall, 0.95, "HNSW recall@10 at efSearch 256")
    }

    func testIVFAgreesWithBruteForceAtHighRecall() throws {
        let (index, gallery) = try build("IVF64,Flat")
        let queries = TestVectors.random(nq, d, seed: 10)
        let expected = reference(gallery, queries).map { $0.map(\.id) }
        let narrow = try index.search(queries, k: k, options: FaissSearchOptions(nprobe: 1))
        let wide = try index.search(queries, k: k, options: FaissSearchOptions(nprobe: 32))
        let recallNarrow = TestVectors.recall((0..<nq).map { narrow.hits(ofQuery: $0).map(\.id) }, expected)
        let recallWide = TestVectors.recall((0..<nq).map { wide.hits(ofQuery: $0).map(\.id) }, expected)
        XCTAssertGreaterThanOrEqual(recallWide, 0.95, "IVF recall@10 at nprobe 32")
        // The per-call nprobe really reaches FAISS: one list out of 64 must lose neighbours.
        XCTAssertLessThan(recallNarrow, recallWide)
    }

    func testSerializeDeserializeGivesIdenticalResults() throws {
        for factory in ["Flat", "HNSW32,Flat", "IVF64,Flat"] {
            let (index, _) = try build(factory)
            try? index.setParameter("nprobe", 8)
            let queries = TestVectors.random(nq, d, seed: 11)
            let before = try index.search(queries, k: k)
            let bytes = try index.serialized()
            XCTAssertGreaterThan(bytes.count, n * d * 4, factory)
            let restored = try FaissIndex(serialized: bytes)
            XCTAssertEqual(restored.count, n, factory)
            XCTAssertEqual(restored.dimension, d, factory)
            XCTAssertEqual(try restored.search(queries, k: k), before, factory)
            XCTAssertEqual(try restored.serialized(), bytes, factory)
        }
    }

    func testRemoveIDsRemoves() throws {
        for factory in ["Flat", "IVF64,Flat"] {
            let (index, gallery) = try build(factory)
            try? index.setNprobe(64)
            let queries = Array(gallery.vectors[0..<(5 * d)])  // the first five gallery vectors themselves
            let before = try index.search(queries, k: 1)
            XCTAssertEqual(before.ids, Array(gallery.ids[0..<5]), factory)
            let removed = try index.remove(ids: Array(gallery.ids[0..<5]) + [-42])
            XCTAssertEqual(removed, 5, factory)
            XCTAssertEqual(index.count, n - 5, factory)
            let after = try index.search(queries, k: k)
            XCTAssertTrue(Set(after.ids).isDisjoint(with: gallery.ids[0..<5]), factory)
        }
    }

    func testHNSWCannotRemoveAndSaysSo() throws {
        let (index, gallery) = try build("HNSW32,Flat")
        XCTAssertThrowsError(try index.remove(ids: [gallery.ids[0]])) { error in
            guard let error = error as? FaissError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("not implemented"), error.message)
        }
        XCTAssertEqual(index.count, n)
    }

    func testExcludedIDsAreNeverReturned() throws {
        for factory in ["Flat", "HNSW32,Flat", "IVF64,Flat"] {
            let (index, gallery) = try build(factory)
            let queries = Array(gallery.vectors[0..<(5 * d)])
            let excluded = Array(gallery.ids[0..<5])
            let result = try index.search(queries, k: k, options: FaissSearchOptions(efSearch: 128, nprobe: 16, excludedIDs: excluded))
            XCTAssertTrue(Set(result.ids).isDisjoint(with: excluded), factory)
            XCTAssertFalse(result.ids.contains(-1), factory)
        }
    }

    func testParametersReachTheIndex() throws {
        let (hnsw, _) = try build("HNSW32,Flat")
        try hnsw.setEfSearch(64)
        try hnsw.setParameter("efSearch", 128)
        XCTAssertEqual(hnsw.efSearch, 128)
        XCTAssertNil(hnsw.nprobe)
        _ = try hnsw.search(TestVectors.random(3, d, seed: 2), k: 5, options: FaissSearchOptions(efSearch: 300))
        XCTAssertEqual(hnsw.efSearch, 128, "a per-call efSearch leaves the index's own value alone")
        XCTAssertThrowsError(try hnsw.setNprobe(4))
        XCTAssertThrowsError(try hnsw.setParameter("noSuchKnob", 1))
        let (ivf, _) = try build("IVF64,Flat")
        try ivf.setNprobe(4)
        try ivf.setParameter("nprobe", 8)
        XCTAssertEqual(ivf.nprobe, 8)
        XCTAssertNil(ivf.efSearch)
        XCTAssertThrowsError(try ivf.setEfSearch(4))
    }

    func testInnerProductMetric() throws {
        let (index, gallery) = try build("Flat", metric: .innerProduct)
        XCTAssertEqual(index.metric, .innerProduct)
        let query = Array(gallery.vectors[0..<d])
        let hit = try index.search(query, k: 1).hits(ofQuery: 0)[0]
        var best = -Float.infinity
        for row in 0..<n {
            var dot: Float = 0
            for j in 0..<d { dot += query[j] * gallery.vectors[row * d + j] }
            best = max(best, dot)
        }
        XCTAssertEqual(hit.distance, best, accuracy: 1e-3 * abs(best))
    }

    func testErrorsCarryFaissMessages() throws {
        XCTAssertThrowsError(try FaissIndex(dimension: d, factory: "NoSuchIndex", metric: .l2)) { error in
            guard let error = error as? FaissError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.status, CFAISS_ERR_FAISS)
            XCTAssertFalse(error.message.isEmpty)
        }
        XCTAssertThrowsError(try FaissIndex(serialized: [1, 2, 3, 4, 5, 6, 7, 8])) { error in
            XCTAssertTrue(error is FaissError, "\(error)")
        }
        let untrained = try FaissIndex(dimension: d, factory: "IVF64,Flat", metric: .l2)
        XCTAssertFalse(untrained.isTrained)
        XCTAssertThrowsError(try untrained.add(TestVectors.random(10, d, seed: 1), ids: Array(0..<10)))
        XCTAssertThrowsError(try untrained.train(TestVectors.random(10, d, seed: 1)))  // fewer points than lists
        let flat = try FaissIndex(dimension: d, factory: "Flat", metric: .l2)
        XCTAssertThrowsError(try flat.add([1, 2, 3], ids: [1])) { error in
            XCTAssertEqual(error as? SearchError, .dimensionMismatch(expected: d, got: 3))
        }
        XCTAssertThrowsError(try flat.search(TestVectors.random(1, d, seed: 1), k: 0))
    }

    func testThreadCountIsRememberedAcrossThreads() throws {
        let original = FaissIndex.threads
        defer { FaissIndex.setThreads(original) }
        FaissIndex.setThreads(1)
        XCTAssertEqual(FaissIndex.threads, 1)
        let (index, _) = try build("Flat")
        let queries = TestVectors.random(200, d, seed: 3)
        let serial = try index.search(queries, k: k)
        FaissIndex.setThreads(2)
        XCTAssertEqual(FaissIndex.threads, 2)
        XCTAssertEqual(try index.search(queries, k: k), serial)
        XCTAssertFalse(FaissIndex.libraryVersion.isEmpty)
    }
}
