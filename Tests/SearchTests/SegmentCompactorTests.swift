import XCTest
@testable import Search

/// Compaction rebuilds the segments where tombstones piled up, and only those.
final class SegmentCompactorTests: XCTestCase {
    let d = 16

    func testCompactionAfterHeavyRemoval() throws {
        let gallery = try TestVectors.gallery(2400, d, seed: 41)
        let options = SegmentBuildOptions(factory: "HNSW32,Flat", metric: .euclidean, dimension: d,
                                          batchSize: 400, segmentCapacity: 800)
        let store = InMemorySegmentStore()
        try SegmentBuilder(options: options).build(from: gallery, into: store)
        let before = try store.segments()
        XCTAssertEqual(before.map(\.count), [800, 800, 800])
        // Half of the middle segment dies, and a few in the first.
        let tombstones = Set(gallery.ids[800..<1200]).union(gallery.ids[0..<10])
        let compactor = try SegmentCompactor(options: options, threshold: 0.2)
        XCTAssertEqual(compactor.segmentsToRebuild(before, tombstones: tombstones).map(\.range), [before[1].range])
        let report = try compactor.compact(source: gallery, store: store, tombstones: tombstones)
        XCTAssertEqual(report.rebuilt, [before[1].range])
        XCTAssertEqual(report.removedVectors, 400)
        let after = try store.segments()
        XCTAssertEqual(after.map(\.count), [800, 400, 800])
        XCTAssertEqual(after.map(\.range), before.map(\.range), "ranges survive compaction")
        XCTAssertEqual(after[0], before[0])
        XCTAssertEqual(after[1].excludedTombstones, 400)
        XCTAssertEqual(after[1].tombstoneFraction(sortedTombstones: tombstones.sorted()), 0)
        XCTAssertEqual(try compactor.compact(source: gallery, store: store, tombstones: tombstones).rebuilt, [], "nothing left to do")

        let ann = try SegmentedANNIndex(segments: after, gallery: gallery, metric: .euclidean)
        let queries = Array(gallery.vectors[(790 * d)..<(1210 * d)])
        let got = try ann.search(queries, k: 3, excluding: tombstones, options: ANNSearchOptions(overFetch: 8, efSearch: 128))
        XCTAssertTrue(got.joined().allSatisfy { !tombstones.contains($0.id) })
        XCTAssertEqual(got, try ann.exact.search(queries, k: 3, excluding: tombstones))
        let rebuilt = try FaissIndex(serialized: after[1].bytes)
        let inside = try rebuilt.search(Array(gallery.vectors[(800 * d)..<(810 * d)]), k: 400)
        XCTAssertTrue(Set(inside.ids).isDisjoint(with: tombstones), "tombstoned vectors are gone from the bytes")
    }

    func testFullyRemovedSegmentBecomesEmpty() throws {
        let gallery = try TestVectors.gallery(600, d, seed: 42)
        let options = SegmentBuildOptions(factory: "IVF4,Flat", metric: .cosine, dimension: d,
                                          batchSize: 300, segmentCapacity: 300)
        let store = InMemorySegmentStore()
        try SegmentBuilder(options: options).build(from: gallery, into: store)
        let tombstones = Set(gallery.ids[0..<300])
        try SegmentCompactor(options: options).compact(source: gallery, store: store, tombstones: tombstones)
        let segments = try store.segments()
        XCTAssertEqual(segments.map(\.count), [0, 300])
        XCTAssertEqual(segments[0].factory, "Flat")
        let ann = try SegmentedANNIndex(segments: segments, gallery: gallery, metric: .cosine)
        XCTAssertEqual(ann.uncoveredCount, 0, "the emptied range stays covered, so a build does not re-add it")
        let queries = Array(gallery.vectors[0..<(5 * d)])
        XCTAssertEqual(try ann.search(queries, k: 4, excluding: tombstones, options: ANNSearchOptions(nprobe: 4)),
                       try ann.exact.search(queries, k: 4, excluding: tombstones))
        XCTAssertEqual(try SegmentBuilder(options: options).build(from: gallery, into: store).batches, 0)
    }
}
