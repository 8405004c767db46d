import Foundation
import Search
import Store
import TestSupport
import Watchlist
import XCTest
@testable import Jobs

/// `search.method = "ann"` in a job: the watchlist's FAISS index is brought up to date before the
/// search (only faces enrolled since the last build are added), a newly enrolled identity is hit,
/// and on this small watchlist the hits are exactly those of the exact method.
final class RunnerANNTests: XCTestCase {
    func testANNJobsBuildOnlyNewFacesAndFindTheExactMethodsHits() throws {
        let scene = try RunnerScene(self, enrolling: [])
        let (video, engine, connection, jobs, folder, clip) = (scene.video, scene.engine, scene.connection, scene.jobs,
                                                              scene.folder, scene.clip)
        let runner = scene.runner()
        func run(_ name: String, method: String) throws -> RunResult {
            let url = try RunnerFixtures.writeManifest(in: folder, name: name, inputs: [clip], every: 25)
            var text = try String(contentsOf: url, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"method\": \"exact\"", with: "\"method\": \"\(method)\"")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return try runner.run(try ManifestValidator.load(path: url.path), options: RunOptions(workers: 1))
        }

        // First job: only Alex Lacamoire is enrolled; the index is built from nothing.
        try RunnerFixtures.enroll(connection, engine: engine, video: video, people: [("alex-lacamoire.png", "Alex Lacamoire")])
        let first = try run("ann-before", method: "ann")
        XCTAssertEqual(first.job.status, "done")
        XCTAssertEqual(first.indexBuild?.added, 1, "the first ANN job indexes the one enrolled face")
        XCTAssertFalse(try JobHitSet.of(jobs, jobID: first.job.id).contains { $0.contains("Lin-Manuel") })

        // Lin-Manuel Miranda is enrolled between the jobs: the next ANN job adds only his face.
        try RunnerFixtures.enroll(connection, engine: engine, video: video,
                                  people: [("lin-manuel-miranda.png", "Lin-Manuel Miranda")])
        let second = try run("ann-after", method: "ann")
        XCTAssertEqual(second.job.status, "done")
        XCTAssertEqual(second.indexBuild?.added, 1, "only the newly enrolled face is added")
        let scope = try JobScope.resolve(manifest: try JSONDecoder().decode(Manifest.self, from: Data(second.job.manifestJSON.utf8)),
                                         watchlists: WatchlistRepository(connection: connection), engine: engine)
        let coverage = try WatchlistSearcher(cache: WatchlistIndexCache())
            .annCoverage(scope: scope, in: WatchlistRepository(connection: connection))
        XCTAssertEqual(coverage.uncovered, 0, "the job searched an index that covers every enrolled face")
        let annHits = try JobHitSet.of(jobs, jobID: second.job.id)
        XCTAssertTrue(annHits.contains { $0.contains("Lin-Manuel Miranda") }, "the new identity is hit: \(annHits)")

        // The exact method on the same watchlist and footage: the same hits, distances included.
        let exact = try run("exact-after", method: "exact")
        XCTAssertNil(exact.indexBuild)
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: exact.job.id), annHits)

        // A rerun of the finished ANN job builds nothing and runs nothing.
        let again = try run("ann-after", method: "ann")
        XCTAssertTrue(again.alreadyFinished)
    }

    func testAManifestAskingForAnotherFactoryThanTheIndexIsAUsageErrorBeforeAnyJobExists() throws {
        let scene = try RunnerScene(self, enrolling: [("alex-lacamoire.png", "Alex Lacamoire")])
        let (folder, clip, runner) = (scene.folder, scene.clip, scene.runner())
        let flat = try RunnerFixtures.writeManifest(in: folder, name: "flat", inputs: [clip], every: 25)
        var text = try String(contentsOf: flat, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"method\": \"exact\"", with: "\"method\": \"ann\", \"index_factory\": \"Flat\"")
        try text.write(to: flat, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runner.run(try ManifestValidator.load(path: flat.path), options: RunOptions(workers: 1)).indexBuild?.factory,
                       "Flat")
        let hnsw = try RunnerFixtures.writeManifest(in: folder, name: "hnsw", inputs: [clip], every: 25)
        text = try String(contentsOf: hnsw, encoding: .utf8)
        try text.replacingOccurrences(of: "\"method\": \"exact\"", with: "\"method\": \"ann\"").write(to: hnsw, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try runner.run(try ManifestValidator.load(path: hnsw.path), options: RunOptions(workers: 1))) { error in
            XCTAssertEqual(error as? JobIndexError, .factoryMismatch(watchlist: "hamilton", existing: "Flat", requested: "HNSW32,Flat"))
            XCTAssertEqual((error as? JobIndexError)?.exitStatus.rawValue, 64)
        }
        XCTAssertEqual(try scene.jobs.jobs().map(\.name), ["flat"], "no job left behind")
    }
}
