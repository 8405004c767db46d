import Common
import FaceEngine
import Foundation
import Postgres
import Store
import Watchlist

// Fills a watchlist with synthetic embeddings under the engine's model, straight through the
// watchlist repository (no images): the large gallery `scripts/bench api` searches. Not part of
// any product.
//   facejob-bench-seed DATABASE_URL WATCHLIST COUNT

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]), count > 0 else {
    FileHandle.standardError.write(Data("usage: facejob-bench-seed DATABASE_URL WATCHLIST COUNT\n".utf8))
    exit(64)
}
do {
    let start = Date()
    let connection = try PostgresConnection(url: arguments[1])
    try Migrator().migrate(connection)
    let repository = WatchlistRepository(connection: connection)
    let watchlist = try repository.ensureWatchlist(named: arguments[2], actor: "bench")
    let embedder = try ModelCatalog().embedder()
    let scope = WatchlistScope(watchlist: watchlist, model: try repository.model(for: EmbeddingModelKey(embedder: embedder)))
    var state: UInt64 = 0x5EED
    func gaussian() -> Float {
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        return Float((-2 * log(max(next(), 1e-12))).squareRoot() * cos(2 * .pi * next()))
    }
    // 50 faces per identity around a random centre.
    var centre: [Float] = []
    for batchStart in stride(from: 0, to: count, by: 5000) {
        let images = (batchStart..<min(count, batchStart + 5000)).map { n -> EnrollmentImage in
            if n % 50 == 0 { centre = (0..<FaceEmbedder.dimensions).map { _ in 0.09 * gaussian() } }
            let embedding = centre.map { $0 + 0.02 * gaussian() }
            return EnrollmentImage(path: "synthetic/\(n / 50)/\(n).jpg", sha256: String(format: "%064llx", UInt64(n) &+ 1),
                                   width: 160, height: 160, identity: IdentitySpec(name: "synthetic-\(n / 50)"),
                                   faces: [EnrollmentFace(box: [40, 40, 80, 80], landmarks: [], detectionScore: 0.99,
                                                          embedding: embedding)])
        }
        _ = try repository.enroll(images, scope: scope, actor: "bench")
    }
    print("seeded \(count) synthetic faces into \(arguments[2]) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
} catch {
    FileHandle.standardError.write(Data("facejob-bench-seed: \(error)\n".utf8))
    exit(1)
}
