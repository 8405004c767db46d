import Foundation
import Search
import Store
import Watchlist
import XCTest

/// Segments in PostgreSQL carry their kind, version and SHA-256: facejob's own IVF is stored and
/// searched like FAISS's, bytes of another FAISS version are searched exactly and rebuilt by the
/// next build, and corrupt bytes are named, never deserialised, until `--rebuild` recovers.
final class WatchlistSegmentIntegrityTests: XCTestCase {
    private func nearestIdentities(_ db: WatchlistTestSchema, _ scope: WatchlistScope, _ centres: [[Float]]) throws -> [String?] {
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        return try service.search(centres.map { QueryFace(embedding: $0) }, scope: scope,
                                  request: WatchlistSearchRequest(method: .ann, k: 1), in: db.repository)
            .map { $0.matches.first?.identityName }
    }

    private func kinds(_ db: WatchlistTestSchema, _ scope: WatchlistScope) throws -> [String] {
        try db.repository.segments(scope, withBytes: false).map { "\($0.kind) \($0.kindVersion)" }
    }

    func testNativeIVFIsStoredWithItsKindAndFindsEveryIdentity() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 30, perIdentity: 10)
        let builder = WatchlistIndexBuilder(repository: db.repository, scope: scope)
        let outcome = try builder.build(IndexBuildRequest(factory: "NativeIVF4", batchSize: 100, segmentCapacity: 200))
        XCTAssertEqual(outcome.added, 300)
        let segments = try db.repository.segments(scope, withBytes: false)
        XCTAssertEqual(segments.map(\.factory), ["NativeIVF4", "NativeIVF4"], "the second segment inherits the first's centroids")
        XCTAssertEqual(try kinds(db, scope), ["facejob-ivf 1", "facejob-ivf 1"])
        XCTAssertEqual(try nearestIdentities(db, scope, centres), (0..<30).map { "p\($0)" })
    }

    func testCorruptBytesAreNamedAndRebuildRecovers() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 20, perIdentity: 10)
        let builder = WatchlistIndexBuilder(repository: db.repository, scope: scope)
        _ = try builder.build(IndexBuildRequest(factory: "HNSW32,Flat", batchSize: 100, segmentCapacity: 100))
        let second = try db.repository.segments(scope, withBytes: false)[1]
        try db.connect().execute("""
            UPDATE index_segments SET bytes = overlay(bytes placing '\\xdeadbeef'::bytea from 200), sealed_at = now()
            WHERE first_id = $1
            """, [.int8(second.firstID)])
        XCTAssertThrowsError(try nearestIdentities(db, scope, centres)) { error in
            XCTAssertEqual(error as? WatchlistError, .corruptSegment(watchlist: "wanted", range: "\(second.firstID)...\(second.lastID)"))
            XCTAssertTrue("\(error)".contains("--rebuild"))
            XCTAssertEqual((error as? WatchlistError)?.exitStatus.rawValue, 1)
        }
        XCTAssertThrowsError(try builder.build(IndexBuildRequest())) { error in
            XCTAssertEqual(error as? WatchlistError, .corruptSegment(watchlist: "wanted", range: "\(second.firstID)...\(second.lastID)"))
        }
        XCTAssertEqual(try builder.build(IndexBuildRequest(rebuild: true)).added, 200)
        XCTAssertEqual(try nearestIdentities(db, scope, centres), (0..<20).map { "p\($0)" })
    }

    func testSegmentsOfAnotherFaissVersionAreSearchedExactlyAndRebuiltByTheNextBuild() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 20, perIdentity: 10)
        let builder = WatchlistIndexBuilder(repository: db.repository, scope: scope)
        _ = try builder.build(IndexBuildRequest(factory: "IVF2,Flat", batchSize: 100, segmentCapacity: 100))
        let first = try db.repository.segments(scope, withBytes: false)[0]
        try db.connect().execute("""
            UPDATE index_segments SET kind_version = '1.6.0', bytes = '\\x0102'::bytea, sha256 = sha256('\\x0102'::bytea)
            WHERE first_id = $1
            """, [.int8(first.firstID)])
        XCTAssertEqual(try nearestIdentities(db, scope, centres), (0..<20).map { "p\($0)" },
                       "the old segment's faces are searched exactly, not lost")
        let outcome = try builder.build(IndexBuildRequest())
        XCTAssertEqual(outcome.compaction.rebuilt, [first.firstID...first.lastID])
        XCTAssertEqual(outcome.compaction.unreadable.count, 1)
        XCTAssertTrue(outcome.compaction.unreadable[0].contains("faiss 1.6.0"), outcome.compaction.unreadable[0])
        XCTAssertEqual(try kinds(db, scope), ["faiss \(FaissIndex.libraryVersion)", "faiss \(FaissIndex.libraryVersion)"])
        XCTAssertEqual(try nearestIdentities(db, scope, centres), (0..<20).map { "p\($0)" })
    }
}
