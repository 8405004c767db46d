import Foundation
import Search
import Store
import Watchlist
import XCTest

final class WatchlistSearchTests: XCTestCase {
    func testExactSearchFindsOwnIdentityAndNamesTheMatch() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 20, perIdentity: 3)
        var gen = SyntheticGallery(seed: 99)
        let queries = centres.map { QueryFace(embedding: gen.sample(around: $0), box: [1, 2, 3, 4]) }
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        let results = try service.search(queries, scope: scope, request: WatchlistSearchRequest(method: .exact, k: 3), in: db.repository)
        XCTAssertEqual(results.count, 20)
        for (i, result) in results.enumerated() {
            XCTAssertEqual(result.queryIndex, i)
            XCTAssertEqual(result.matches.count, 3)
            XCTAssertEqual(result.matches.map(\.identityName), Array(repeating: "p\(i)", count: 3))
            XCTAssertEqual(result.matches.map(\.rank), [1, 2, 3])
            XCTAssertEqual(result.matches[0].externalID, "X-\(i)")
            XCTAssertEqual(result.matches[0].queryBox, [1, 2, 3, 4])
            XCTAssertEqual(result.matches[0].threshold, 0.6)
            XCTAssertGreaterThan(result.matches[0].similarity, 0.9)
            XCTAssertTrue(result.matches[0].sourcePath.hasPrefix("p\(i)/"))
        }
        // A tight threshold leaves only what is closer than it.
        let strict = try service.search(queries, scope: scope, request: WatchlistSearchRequest(k: 3, threshold: 0.0001), in: db.repository)
        XCTAssertTrue(strict.allSatisfy { $0.matches.isEmpty })
    }

    func testANNTopKEqualsExactTopKOnSmallSets() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 60, perIdentity: 10)
        _ = try WatchlistIndexBuilder(repository: db.repository, scope: scope)
            .build(IndexBuildRequest(factory: "HNSW32,Flat", batchSize: 128, segmentCapacity: 256))
        XCTAssertEqual(try db.repository.segments(scope, withBytes: false).count, 3)
        var gen = SyntheticGallery(seed: 5)
        let queries = centres.map { QueryFace(embedding: gen.sample(around: $0, noise: 0.05)) }
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        XCTAssertEqual(try service.annCoverage(scope: scope, in: db.repository).uncovered, 0)
        let exact = try service.search(queries, scope: scope, request: WatchlistSearchRequest(method: .exact, k: 10, threshold: 10), in: db.repository)
        let ann = try service.search(queries, scope: scope, request: WatchlistSearchRequest(method: .ann, k: 10, threshold: 10), in: db.repository)
        XCTAssertEqual(ann.map { $0.matches.map(\.embeddingID) }, exact.map { $0.matches.map(\.embeddingID) })
        XCTAssertEqual(ann.map { $0.matches.map(\.distance) }, exact.map { $0.matches.map(\.distance) })
    }

    func testRemovedFacesAreInvisibleToExactAndANNAtOnce() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, centres) = try db.populate(identities: 10, perIdentity: 4)
        _ = try WatchlistIndexBuilder(repository: db.repository, scope: scope).build(IndexBuildRequest(batchSize: 16))
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        let query = [QueryFace(embedding: centres[3])]
        for method in SearchMethod.allCases {
            let before = try service.search(query, scope: scope, request: WatchlistSearchRequest(method: method, k: 4), in: db.repository)
            XCTAssertEqual(before[0].matches.first?.identityName, "p3", "\(method)")
        }
        // Removal through another connection, as another process would do it.
        let other = WatchlistRepository(connection: try db.connect())
        _ = try other.removeIdentity("p3", from: scope.watchlist, actor: "t")
        let faceOfP4 = try other.faces(ofIdentity: "p4", in: scope.watchlist)[0]
        _ = try other.removeFace(faceOfP4.id, from: scope.watchlist, actor: "t")
        for method in SearchMethod.allCases {
            let after = try service.search(query + [QueryFace(embedding: centres[4])], scope: scope,
                                           request: WatchlistSearchRequest(method: method, k: 40, threshold: 10), in: db.repository)
            XCTAssertFalse(after[0].matches.contains { $0.identityName == "p3" }, "\(method) still finds a removed identity")
            XCTAssertFalse(after[1].matches.contains { $0.faceID == faceOfP4.id }, "\(method) still finds a removed face")
            XCTAssertEqual(after[1].matches.filter { $0.identityName == "p4" }.count, 3, "\(method)")
        }
    }

    func testCacheSeesNewRegistrationsAndRebuiltSegments() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, _) = try db.populate(identities: 5, perIdentity: 2)
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        XCTAssertEqual(try service.annCoverage(scope: scope, in: db.repository).segments, 0)
        XCTAssertEqual(try service.annCoverage(scope: scope, in: db.repository).uncovered, 10)
        var gen = SyntheticGallery(seed: 1234)
        let (late, centres) = gen.images(identities: 1, perIdentity: 1, prefix: "late")
        _ = try WatchlistRepository(connection: try db.connect()).enroll(late, scope: scope, actor: "t")
        let found = try service.search([QueryFace(embedding: centres[0])], scope: scope,
                                       request: WatchlistSearchRequest(method: .ann, k: 1), in: db.repository)
        XCTAssertEqual(found[0].matches.first?.identityName, "late0")
        _ = try WatchlistIndexBuilder(repository: WatchlistRepository(connection: try db.connect()), scope: scope)
            .build(IndexBuildRequest(batchSize: 4))
        XCTAssertEqual(try service.annCoverage(scope: scope, in: db.repository).segments, 1)
        XCTAssertEqual(try service.annCoverage(scope: scope, in: db.repository).uncovered, 0)
    }
}
