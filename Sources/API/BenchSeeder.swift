import FaceEngine
import Foundation
import Store

/// Fills a watchlist with synthetic embeddings under the served model, straight through the
/// watchlist repository (no images): the large gallery `scripts/bench api` searches. Hidden; not
/// a user feature.
public enum BenchSeeder {
    /// Inserts `count` synthetic faces (50 per identity) into `watchlist`; returns the seconds taken.
    public static func seed(service: APIService, watchlist name: String, count: Int) throws -> Double {
        let start = Date()
        try service.database.withConnection { connection in
            let repository = WatchlistRepository(connection: connection)
            let watchlist = try repository.ensureWatchlist(named: name, actor: "bench")
            let scope = WatchlistScope(watchlist: watchlist, model: try service.model(repository))
            var state: UInt64 = 0x5EED
            func gaussian() -> Float {
                func next() -> Double {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return Double(state >> 11) / Double(1 << 53)
                }
                return Float((-2 * log(max(next(), 1e-12))).squareRoot() * cos(2 * .pi * next()))
            }
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
        }
        return Date().timeIntervalSince(start)
    }
}
