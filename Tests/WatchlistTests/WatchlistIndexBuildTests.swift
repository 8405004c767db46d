import Foundation
import Search
import Store
import Watchlist
import XCTest

final class WatchlistIndexBuildTests: XCTestCase {
    private func coverage(_ db: WatchlistTestSchema, _ scope: WatchlistScope) throws -> [String] {
        try db.repository.segments(scope, withBytes: false).map { "\($0.firstID)...\($0.lastID):\($0.count):\($0.factory)" }
    }

    func testIncrementalBuildAddsOnlyNewEmbeddings() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, _) = try db.populate(identities: 30, perIdentity: 10)
        let builder = WatchlistIndexBuilder(repository: db.repository, scope: scope)
        let first = try builder.build(IndexBuildRequest(batchSize: 100, segmentCapacity: 200))
        XCTAssertEqual(first.added, 300)
        XCTAssertEqual(first.batches, 3)
        XCTAssertEqual(try builder.build(IndexBuildRequest()).added, 0, "a second build must find nothing to do")
        var gen = SyntheticGallery(seed: 77)
        let (more, _) = gen.images(identities: 2, perIdentity: 5, prefix: "new")
        _ = try db.repository.enroll(more, scope: scope, actor: "t")
        let second = try builder.build(IndexBuildRequest(batchSize: 100, segmentCapacity: 200))
        XCTAssertEqual(second.added, 10)
        XCTAssertEqual(second.batches, 1)
        let segments = try db.repository.segments(scope, withBytes: false)
        XCTAssertEqual(segments.reduce(0) { $0 + $1.count }, 310)
        let ids = try db.repository.allEmbeddings(scope).ids
        XCTAssertEqual(segments.first?.firstID, ids.first)
        XCTAssertEqual(segments.last?.lastID, ids.last)
        XCTAssertEqual(try db.repository.buildState(scope).status, "done")
        XCTAssertThrowsError(try builder.build(IndexBuildRequest(factory: "IVF4,Flat"))) { error in
            XCTAssertEqual(error as? IndexBuildError, .factoryChange(existing: "HNSW32,Flat", requested: "IVF4,Flat"))
        }
        let rebuilt = try builder.build(IndexBuildRequest(factory: "IVF4,Flat", rebuild: true))
        XCTAssertEqual(rebuilt.added, 310)
    }

    func testConcurrentBuildsSerialiseOnTheAdvisoryLock() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, _) = try db.populate(identities: 20, perIdentity: 10)
        let holder = try db.connect()
        try holder.advisoryLock(scope.buildLock)
        let other = WatchlistRepository(connection: try db.connect())
        XCTAssertThrowsError(try WatchlistIndexBuilder(repository: other, scope: scope).build(IndexBuildRequest(noWait: true))) { error in
            XCTAssertEqual(error as? IndexBuildError, .locked(watchlist: "wanted"))
            XCTAssertEqual((error as? IndexBuildError)?.exitStatus.rawValue, 75)
        }
        // Two builds at once: the second waits for the first and then finds nothing left to add.
        try holder.advisoryUnlock(scope.buildLock)
        let a = WatchlistRepository(connection: try db.connect()), b = WatchlistRepository(connection: try db.connect())
        let results = Results()
        let group = DispatchGroup()
        for repository in [a, b] {
            DispatchQueue.global().async(group: group) {
                do {
                    let outcome = try WatchlistIndexBuilder(repository: repository, scope: scope)
                        .build(IndexBuildRequest(batchSize: 50, segmentCapacity: 100))
                    results.append(outcome.added)
                } catch {
                    results.append(-1)
                }
            }
        }
        group.wait()
        XCTAssertEqual(results.values.sorted(), [0, 200])
        XCTAssertEqual(try coverage(db, scope).count, 2)
    }

    func testCompactionAfterHeavyRemovalDropsTombstonedVectors() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 20, perIdentity: 5)
        let builder = WatchlistIndexBuilder(repository: db.repository, scope: scope)
        _ = try builder.build(IndexBuildRequest(batchSize: 50, segmentCapacity: 50))
        XCTAssertEqual(try coverage(db, scope).count, 2)
        // Identities 0-6 live in the first segment (ids ascend with enrollment): 35 of its 50 vectors.
        for i in 0..<7 { _ = try db.repository.removeIdentity("p\(i)", from: scope.watchlist, actor: "t") }
        let before = try db.repository.segments(scope, withBytes: false)
        let outcome = try builder.build(IndexBuildRequest(compactionThreshold: 0.2))
        XCTAssertEqual(outcome.added, 0)
        XCTAssertEqual(outcome.compaction.rebuilt.count, 1)
        XCTAssertEqual(outcome.compaction.removedVectors, 35)
        let after = try db.repository.segments(scope, withBytes: false)
        XCTAssertEqual(after.map(\.firstID), before.map(\.firstID), "compaction keeps every segment's id range")
        XCTAssertEqual(after.map(\.lastID), before.map(\.lastID))
        XCTAssertEqual(after[0].count, 15)
        XCTAssertEqual(after[0].excludedTombstones, 35)
        XCTAssertEqual(after[1].count, 50)
        // A second build leaves the compacted segment alone.
        XCTAssertEqual(try builder.build(IndexBuildRequest()).compaction.rebuilt.count, 0)
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        let results = try service.search(centres.map { QueryFace(embedding: $0) }, scope: scope,
                                         request: WatchlistSearchRequest(method: .ann, k: 1), in: db.repository)
        for i in 0..<20 {
            XCTAssertEqual(results[i].matches.first?.identityName, i < 7 ? nil : "p\(i)")
        }
    }
}

/// Thread-safe collection of results from concurrent builds.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int] = []
    func append(_ v: Int) { lock.lock(); values.append(v); lock.unlock() }
}
