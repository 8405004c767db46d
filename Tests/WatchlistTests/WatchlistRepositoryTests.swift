import Foundation
import Search
import Store
import Watchlist
import XCTest

final class WatchlistRepositoryTests: XCTestCase {
    func testEnrollStoresFacesEmbeddingsAndAuditAndRerunChangesNothing() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, images, _) = try db.populate(identities: 3, perIdentity: 4, batch: 5)
        XCTAssertEqual(try db.count("identities"), 3)
        XCTAssertEqual(try db.count("faces"), 12)
        XCTAssertEqual(try db.count("embeddings"), 12)
        XCTAssertEqual(try db.count("embeddings", where: "length(vector) = 512"), 12)
        XCTAssertEqual(try db.count("audit_log", where: "action = 'register'"), 12)
        let before = try db.repository.connection.execute("SELECT count(*) FROM audit_log").scalar(Int.self)

        let again = try db.repository.enroll(images, scope: scope, actor: "test")
        XCTAssertEqual(again.count, images.count)
        for (outcome, image) in zip(again, images) {
            guard case .duplicate(_, let name) = outcome else { return XCTFail("\(image.path) was stored twice: \(outcome)") }
            XCTAssertEqual(name, image.identity.name)
        }
        XCTAssertEqual(try db.count("faces"), 12)
        XCTAssertEqual(try db.repository.connection.execute("SELECT count(*) FROM audit_log").scalar(Int.self), before)
        XCTAssertEqual(try db.repository.state(of: scope).embeddingCount, 12)

        // The stored vector is the enrolled one, bit for bit.
        let rows = try db.repository.allEmbeddings(scope)
        XCTAssertEqual(rows.ids.count, 12)
        XCTAssertEqual(Array(rows.vectors[0..<128]), images[0].faces[0].embedding)
    }

    func testDuplicateWithinOneBatchIsStoredOnce() throws {
        let db = try WatchlistTestSchema(self)
        var gen = SyntheticGallery(seed: 3)
        let (images, _) = gen.images(identities: 1, perIdentity: 1)
        let watchlist = try db.repository.ensureWatchlist(named: "w", actor: "t")
        let scope = WatchlistScope(watchlist: watchlist, model: try db.repository.model(for: SyntheticGallery.model))
        let outcomes = try db.repository.enroll(images + images, scope: scope, actor: "t")
        guard case .inserted = outcomes[0], case .duplicate = outcomes[1] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(try db.count("faces"), 1)
    }

    func testModelsNeverMix() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, images, _) = try db.populate(identities: 2, perIdentity: 2)
        let otherWeights = EmbeddingModelKey(name: SyntheticGallery.model.name, weightsSHA256: String(repeating: "cd", count: 32),
                                             dimension: 128, metric: "euclidean")
        let other = WatchlistScope(watchlist: scope.watchlist, model: try db.repository.model(for: otherWeights))
        // The same image under other weights is not a duplicate: it is another embedding space.
        let outcomes = try db.repository.enroll([images[0]], scope: other, actor: "t")
        guard case .inserted = outcomes[0] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(try db.repository.allEmbeddings(scope).ids.count, 4)
        XCTAssertEqual(try db.repository.allEmbeddings(other).ids.count, 1)
        XCTAssertEqual(try db.repository.models(in: scope.watchlist).count, 2)
        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        let results = try service.search([QueryFace(embedding: images[1].faces[0].embedding)], scope: other,
                                         request: WatchlistSearchRequest(k: 10, threshold: 10), in: db.repository)
        XCTAssertEqual(results[0].matches.count, 1, "a search under one model must see only that model's embeddings")
        // A model name known with another shape is refused.
        XCTAssertThrowsError(try db.repository.model(for: EmbeddingModelKey(
            name: otherWeights.name, weightsSHA256: otherWeights.weightsSHA256, dimension: 512, metric: "euclidean")))
    }

    func testBadInputIsRefusedAndChangesNothing() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, _, _) = try db.populate(identities: 1, perIdentity: 1)
        let facesBefore = try db.count("faces"), auditBefore = try db.count("audit_log")
        XCTAssertThrowsError(try db.repository.watchlist(named: "nope")) { error in
            XCTAssertEqual(error as? WatchlistError, .unknownWatchlist("nope"))
        }
        let good = SyntheticGallery(seed: 9)
        var gen = good
        var (images, _) = gen.images(identities: 1, perIdentity: 2, prefix: "bad")
        // Second image has a 64-d embedding: the whole batch is refused, the first image included.
        let wrong = images[1]
        images[1] = EnrollmentImage(path: wrong.path, sha256: wrong.sha256, width: 1, height: 1, identity: wrong.identity,
                                    faces: [EnrollmentFace(box: [0, 0, 1, 1], landmarks: [], detectionScore: 1,
                                                           embedding: Array(repeating: 0, count: 64))])
        XCTAssertThrowsError(try db.repository.enroll(images, scope: scope, actor: "t")) { error in
            XCTAssertEqual(error as? WatchlistError, .embeddingDimension(expected: 128, got: 64))
        }
        let noFace = EnrollmentImage(path: "x.jpg", sha256: SyntheticGallery.fakeSHA("x"), width: 1, height: 1,
                                     identity: IdentitySpec(name: "x"), faces: [])
        XCTAssertThrowsError(try db.repository.enroll([noFace], scope: scope, actor: "t"))
        XCTAssertEqual(try db.count("faces"), facesBefore)
        XCTAssertEqual(try db.count("audit_log"), auditBefore)
        XCTAssertEqual(try db.count("identities"), 1)
    }

    func testExternalIDConflictIsRefused() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, images, _) = try db.populate(identities: 1, perIdentity: 1)
        var gen = SyntheticGallery(seed: 11)
        let (more, _) = gen.images(identities: 1, perIdentity: 1, prefix: "q")
        let clash = EnrollmentImage(path: more[0].path, sha256: more[0].sha256, width: 1, height: 1,
                                    identity: IdentitySpec(name: images[0].identity.name, externalID: "OTHER"),
                                    faces: more[0].faces)
        XCTAssertThrowsError(try db.repository.enroll([clash], scope: scope, actor: "t")) { error in
            XCTAssertEqual(error as? WatchlistError,
                           .externalIDConflict(identity: images[0].identity.name, stored: "X-0", given: "OTHER"))
        }
        XCTAssertEqual(try db.count("faces"), 1)
    }

    func testRemovalIsAuditedAndFreesImagesForReEnrollment() throws {
        let db = try WatchlistTestSchema(self)
        let (scope, images, _) = try db.populate(identities: 2, perIdentity: 3)
        let report = try db.repository.removeIdentity("p0", from: scope.watchlist, actor: "inspector", reason: "released")
        XCTAssertEqual(report.faces, 3)
        XCTAssertEqual(report.tombstones, 3)
        XCTAssertEqual(try db.count("tombstones"), 3)
        XCTAssertEqual(try db.count("audit_log", where: "action = 'identity.remove' AND actor = 'inspector'"), 1)
        XCTAssertEqual(try db.repository.state(of: scope).tombstoneCount, 3)
        XCTAssertEqual(try db.repository.identities(in: scope.watchlist).map(\.name), ["p1"])
        XCTAssertThrowsError(try db.repository.removeIdentity("p0", from: scope.watchlist, actor: "x"))

        let faces = try db.repository.faces(ofIdentity: "p1", in: scope.watchlist)
        XCTAssertEqual(faces.count, 3)
        let single = try db.repository.removeFace(faces[0].id, from: scope.watchlist, actor: "inspector")
        XCTAssertEqual(single.tombstones, 1)
        XCTAssertThrowsError(try db.repository.removeFace(faces[0].id, from: scope.watchlist, actor: "x")) { error in
            XCTAssertEqual(error as? WatchlistError, .unknownFace(watchlist: "wanted", faceID: faces[0].id))
        }
        // A removed image may be enrolled again (e.g. under the right identity).
        let outcomes = try db.repository.enroll([images[0]], scope: scope, actor: "t")
        guard case .inserted = outcomes[0] else { return XCTFail("\(outcomes)") }
    }
}
