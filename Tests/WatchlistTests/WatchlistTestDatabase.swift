import Foundation
import Search
import Store
import XCTest

/// A private, migrated schema in the test server (`$FACEJOB_TEST_DATABASE_URL`, set by
/// scripts/test), dropped when the test ends. Sequences are per schema, so two schemas filled
/// the same way get the same ids.
final class WatchlistTestSchema {
    let baseURL: String
    let name: String
    let repository: WatchlistRepository

    init(_ test: XCTestCase) throws {
        guard let url = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "!!! FACEJOB_TEST_DATABASE_URL is not set: watchlist tests SKIPPED. Run scripts/test, "
                + "which starts a throwaway PostgreSQL server."
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        baseURL = url
        name = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PostgresConnection(url: url)
        try admin.executeScript("CREATE SCHEMA \(name)")
        let schema = name
        test.addTeardownBlock {
            if let admin = try? PostgresConnection(url: url) {
                try? admin.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            }
        }
        repository = WatchlistRepository(connection: try Self.connect(url, schema: name))
    }

    /// A URL whose connections land in this schema (for child `facejob` processes).
    var url: String {
        baseURL + (baseURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
    }

    /// Another migrated connection into the schema.
    func connect() throws -> PostgresConnection { try Self.connect(baseURL, schema: name) }

    private static func connect(_ url: String, schema: String) throws -> PostgresConnection {
        let c = try PostgresConnection(url: url)
        try c.executeScript("SET search_path TO \(schema)")
        try Migrator().migrate(c)
        return c
    }

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
    var rng: SplitMix

    init(seed: UInt64) { rng = SplitMix(seed: seed) }

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

/// Seeded generator so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
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
