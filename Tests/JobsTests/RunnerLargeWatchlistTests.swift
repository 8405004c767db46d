import Foundation
import Store
import TestSupport
import Watchlist
import XCTest
@testable import Jobs

/// A large watchlist must not change what a job finds for the people on it: the Hamilton cast's
/// hits over facejob's own IVF are the same, distances and boxes included, with and without
/// hundreds of thousands of synthetic faces enrolled beside them (300,000 here, two trained
/// segments; `FACEJOB_LARGE_WATCHLIST_FACES=1000000` runs the full size; `scripts/bench
/// watchlist-scale` times it).
final class RunnerLargeWatchlistTests: XCTestCase {
    private var syntheticFaces: Int {
        ProcessInfo.processInfo.environment["FACEJOB_LARGE_WATCHLIST_FACES"].flatMap(Int.init) ?? 300_000
    }

    func testTheCastsHitsAreIdenticalAmongManySyntheticFaces() throws {
        let scene = try RunnerScene(self)
        let runner = scene.runner()
        func run(_ name: String) throws -> RunResult {
            let url = try RunnerFixtures.writeManifest(in: scene.folder, name: name, inputs: [scene.clip], every: 10)
            var text = try String(contentsOf: url, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"method\": \"exact\"", with: "\"method\": \"ann\", \"index_factory\": \"NativeIVF1024\"")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return try runner.run(try ManifestValidator.load(path: url.path), options: RunOptions(workers: 2))
        }
        let alone = try run("cast-alone")
        let castHits = try JobHitSet.of(scene.jobs, jobID: alone.job.id)
        XCTAssertTrue(castHits.contains { $0.contains("Lin-Manuel Miranda") }, "\(castHits)")

        try seedSyntheticFaces(scene, count: syntheticFaces)
        let among = try run("cast-among-synthetic")
        XCTAssertEqual(among.indexBuild?.added, syntheticFaces, "the job indexed the synthetic faces before searching")
        let segments = try WatchlistRepository(connection: scene.connection)
            .segments(try scope(scene), withBytes: false)
        XCTAssertGreaterThanOrEqual(segments.filter { $0.factory == "NativeIVF1024" }.count, 1, "trained IVF segments were searched")
        let hits = try JobHitSet.of(scene.jobs, jobID: among.job.id)
        XCTAssertFalse(hits.contains { $0.contains("synthetic") }, "no synthetic face passes the threshold")
        XCTAssertEqual(hits, castHits)
    }

    private func scope(_ scene: RunnerScene) throws -> WatchlistScope {
        let watchlists = WatchlistRepository(connection: scene.connection)
        let watchlist = try watchlists.ensureWatchlist(named: "hamilton", actor: "test")
        return WatchlistScope(watchlist: watchlist, model: try watchlists.model(for: scene.engine.embeddingModel))
    }

    /// `count` faces in identities of 50 around random centres, face-embedding-like in scale, by
    /// binary COPY through the repository (no images).
    private func seedSyntheticFaces(_ scene: RunnerScene, count: Int) throws {
        let watchlists = WatchlistRepository(connection: scene.connection)
        let scope = try scope(scene)
        let dimension = scene.engine.embeddingModel.dimension
        var random = SeededRandom(seed: 2026)
        var centre: [Float] = []
        for start in stride(from: 0, to: count, by: 10_000) {
            let images = (start..<min(count, start + 10_000)).map { n -> EnrollmentImage in
                if n % 50 == 0 { centre = (0..<dimension).map { _ in 0.09 * random.gaussian() } }
                return EnrollmentImage(path: "synthetic/\(n / 50)/\(n).jpg", sha256: String(format: "%064llx", UInt64(n) + 1),
                                       width: 160, height: 160, identity: IdentitySpec(name: "synthetic-\(n / 50)"),
                                       faces: [EnrollmentFace(box: [40, 40, 80, 80], landmarks: [], detectionScore: 0.99,
                                                              embedding: centre.map { $0 + 0.02 * random.gaussian() })])
            }
            _ = try watchlists.enroll(images, scope: scope, actor: "test")
        }
    }
}
