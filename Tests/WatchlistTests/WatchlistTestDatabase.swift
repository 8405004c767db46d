import Foundation
import Postgres
import Search
import Store
import TestSupport
import Watchlist
import XCTest

/// A private, migrated schema with a watchlist repository on its own connection.
final class WatchlistTestSchema {
    let schema: TestDatabaseSchema
    let repository: WatchlistRepository
    var baseURL: String { schema.baseURL }
    var name: String { schema.name }
    /// A URL whose connections land in this schema (for child `facejob` processes).
    var url: String { schema.url }

    init(_ test: XCTestCase) throws {
        schema = try TestDatabaseSchema(test, prefix: "w_", purpose: "watchlist tests")
        repository = WatchlistRepository(connection: try schema.connect(migrated: true))
    }

    /// Another migrated connection into the schema.
    func connect() throws -> PostgresConnection { try schema.connect(migrated: true) }

    /// The row count of a table in this schema.
    func count(_ table: String, where condition: String = "true") throws -> Int {
        try repository.connection.execute("SELECT count(*) FROM \(table) WHERE \(condition)").scalar(Int.self)
    }
}

/// Synthetic clustered embeddings: identity i has a random centre; its faces are the centre plus
/// small noise, so nearest neighbours are known.
struct SyntheticGallery {
    static let model = EmbeddingModelKey(name: "synthetic-128", weightsSHA256: String(repeating: "ab", count: 32),
                                         dimension: 128, metric: "euclidean")
    let dimension = 128
    var rng: SeededRandom

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    mutating func centre() -> [Float] {
        let v = (0..<dimension).map { _ in rng.gaussian() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    mutating func sample(around c: [Float], noise: Float = 0.02) -> [Float] {
        c.map { $0 + noise * rng.gaussian() }
    }

    /// `identities × perIdentity` images (one face each), with fake but distinct SHA-256s.
    mutating func images(identities: Int, perIdentity: Int, prefix: String = "p") -> (images: [EnrollmentImage], centres: [[Float]]) {
        var images: [EnrollmentImage] = []
        var centres: [[Float]] = []
        for i in 0..<identities {
            let c = centre()
            centres.append(c)
            for j in 0..<perIdentity {
                let path = "\(prefix)\(i)/\(j).jpg"
                images.append(EnrollmentImage(path: path, sha256: Self.fakeSHA(path), width: 100, height: 100,
                                              identity: IdentitySpec(name: "\(prefix)\(i)", externalID: "X-\(i)"),
                                              faces: [EnrollmentFace(box: [10, 10, 50, 50], landmarks: [20, 20, 40, 20, 30, 30, 22, 45, 38, 45],
                                                                     detectionScore: 0.99, embedding: sample(around: c))]))
            }
        }
        return (images, centres)
    }

    static func fakeSHA(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var out = ""
        for round in 0..<4 {
            for b in (s + "#\(round)").utf8 { h ^= UInt64(b); h = h &* 0x0000_0100_0000_01b3 }
            out += String(format: "%016llx", h)
        }
        return out
    }
}

extension WatchlistTestSchema {
    /// A watchlist with `identities × perIdentity` synthetic faces enrolled in batches of `batch`.
    func populate(_ watchlistName: String = "wanted", identities: Int, perIdentity: Int, seed: UInt64 = 7,
                  batch: Int = 500) throws -> (scope: WatchlistScope, images: [EnrollmentImage], centres: [[Float]]) {
        var gen = SyntheticGallery(seed: seed)
        let (images, centres) = gen.images(identities: identities, perIdentity: perIdentity)
        let watchlist = try repository.ensureWatchlist(named: watchlistName, actor: "test")
        let scope = WatchlistScope(watchlist: watchlist, model: try repository.model(for: SyntheticGallery.model))
        for start in stride(from: 0, to: images.count, by: batch) {
            _ = try repository.enroll(Array(images[start..<min(images.count, start + batch)]), scope: scope, actor: "test")
        }
        return (scope, images, centres)
    }
}
