import XCTest
@testable import Search

/// The build is resumable: stopped after any batch (or killed inside a commit) and resumed, it
/// ends with exactly the segments an uninterrupted build produces.
final class SegmentBuilderTests: XCTestCase {
    let d = 16

    /// A store whose commit number `failAt` fails, as if the process died inside the transaction.
    final class CrashingStore: SegmentStore {
        let inner = InMemorySegmentStore()
        var commits = 0
        let failAt: Int
        struct Crash: Error {}
        init(failAt: Int) { self.failAt = failAt }
        func segments() throws -> [IndexSegment] { try inner.segments() }
        func replace(firstIDs: [Int64], with segments: [IndexSegment]) throws {
            commits += 1
            if commits == failAt { throw Crash() }
            try inner.replace(firstIDs: firstIDs, with: segments)
        }
    }

    private func options(_ factory: String, threads: Int? = nil) -> SegmentBuildOptions {
        SegmentBuildOptions(factory: factory, metric: .euclidean, dimension: d, batchSize: 300,
                            segmentCapacity: 1200, threads: threads)
    }

    func testResumedBuildEqualsUninterruptedBuild() throws {
        let gallery = try TestVectors.gallery(3100, d, seed: 31)
        // HNSW inserts are only reproducible single-threaded; Flat and IVF are at any thread count.
        for (factory, threads) in [("Flat", nil), ("IVF16,Flat", nil), ("HNSW32,Flat", 1), ("NativeIVF16", nil)] as [(String, Int?)] {
            let builder = try SegmentBuilder(options: options(factory, threads: threads))
            let reference = InMemorySegmentStore()
            let full = try builder.build(from: gallery, into: reference)
            XCTAssertEqual(full.batches, 11, factory)
            XCTAssertTrue(full.upToDate, factory)
            let expected = try reference.segments()
            XCTAssertEqual(expected.map(\.count), [1200, 1200, 700], factory)
            XCTAssertEqual(expected.map(\.range), [1000...4597, 4600...8197, 8200...10297], factory)
            for stop in 1..<full.batches {
                let store = InMemorySegmentStore()
                let first = try builder.build(from: gallery, into: store, maxBatches: stop)
                XCTAssertEqual(first.batches, stop)
                XCTAssertFalse(first.upToDate)
                let rest = try builder.build(from: gallery, into: store)
                XCTAssertEqual(rest.batches, full.batches - stop)
                XCTAssertEqual(try store.segments(), expected, "\(factory) stopped after batch \(stop)")
            }
        }
    }

    func testBuildKilledInsideACommitResumes() throws {
        let gallery = try TestVectors.gallery(3100, d, seed: 32)
        let builder = try SegmentBuilder(options: options("IVF16,Flat"))
        let reference = InMemorySegmentStore()
        try builder.build(from: gallery, into: reference)
        let store = CrashingStore(failAt: 6)
        XCTAssertThrowsError(try builder.build(from: gallery, into: store))
        XCTAssertEqual(try store.segments().map(\.lastID).max(), gallery.ids[5 * 300 - 1], "five batches committed")
        try builder.build(from: gallery, into: store)
        XCTAssertEqual(try store.segments(), try reference.segments())
    }

    func testIncrementalBuildOnlyAddsNewEmbeddings() throws {
        let all = try TestVectors.gallery(2000, d, seed: 33)
        let builder = try SegmentBuilder(options: options("HNSW32,Flat"))
        let store = InMemorySegmentStore()
        try builder.build(from: all.subset(rows: 0..<1900), into: store)
        let before = try store.segments()
        let report = try builder.build(from: all, into: store)
        XCTAssertEqual(report.batches, 1)
        XCTAssertEqual(report.added, 100)
        let after = try store.segments()
        XCTAssertEqual(after.map(\.count).reduce(0, +), 2000)
        XCTAssertEqual(Array(after.dropLast()), Array(before.dropLast()), "sealed segments untouched")
        XCTAssertEqual(after.last?.lastID, all.ids.last)
        XCTAssertEqual(try FaissIndex(serialized: after[0].bytes).efSearch, 64, "HNSW segments carry a usable efSearch")
        XCTAssertEqual(try builder.build(from: all, into: store).batches, 0, "nothing new: nothing done")
    }

    func testSmallIVFSegmentFallsBackToFlatThenTrains() throws {
        let gallery = try TestVectors.gallery(1000, d, seed: 34)
        // IVF16 needs 16 × 39 = 624 training vectors; batches of 300 reach that with the third.
        let builder = try SegmentBuilder(options: options("IVF16,Flat"))
        let store = InMemorySegmentStore()
        try builder.build(from: gallery, into: store, maxBatches: 2)
        XCTAssertEqual(try store.segments().map(\.factory), ["Flat"])
        XCTAssertTrue(try store.segments()[0].isFallback)
        try builder.build(from: gallery, into: store, maxBatches: 1)
        XCTAssertEqual(try store.segments().map(\.factory), ["IVF16,Flat"])
        XCTAssertEqual(try store.segments().map(\.count), [900])
        let index = try FaissIndex(serialized: try store.segments()[0].bytes)
        XCTAssertEqual(index.count, 900)
        XCTAssertTrue(index.isTrained)
        XCTAssertEqual(index.nprobe, 16, "IVF segments carry a usable nprobe, not FAISS's 1")
    }

    func testMismatchedSegmentsAndOptionsAreRefused() throws {
        let gallery = try TestVectors.gallery(100, d, seed: 35)
        let store = InMemorySegmentStore()
        try SegmentBuilder(options: options("Flat")).build(from: gallery, into: store)
        var cosine = options("Flat")
        cosine.metric = .cosine
        XCTAssertThrowsError(try SegmentBuilder(options: cosine).build(from: gallery, into: store))
        XCTAssertThrowsError(try SegmentBuilder(options: SegmentBuildOptions(dimension: d, batchSize: 0)))
        XCTAssertThrowsError(try SegmentBuilder(options: SegmentBuildOptions(dimension: d, batchSize: 100, segmentCapacity: 10)))
    }
}
