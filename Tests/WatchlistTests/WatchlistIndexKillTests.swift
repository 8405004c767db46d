import Foundation
import Search
import Store
import Watchlist
import XCTest

/// Kills a real `facejob index build` between committed batches and resumes it.
final class WatchlistIndexKillTests: XCTestCase {
    /// The built `facejob` executable beside the test bundle.
    static var facejobBinary: URL {
        var dir = Bundle(for: WatchlistIndexKillTests.self).bundleURL
        while dir.pathExtension == "xctest" || dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("facejob")
    }

    private func runBuild(_ db: WatchlistTestSchema, pauseMs: Int, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = Self.facejobBinary
        process.arguments = ["index", "build", "--watchlist", "wanted", "--database", db.url,
                             "--batch-size", "100", "--segment-capacity", "300", "--threads", "1"] + extra
        var environment = ProcessInfo.processInfo.environment
        environment[WatchlistIndexBuilder.pauseVariable] = String(pauseMs)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func coverage(_ db: WatchlistTestSchema, _ scope: WatchlistScope) throws -> [String] {
        try db.repository.segments(scope, withBytes: false).map { "\($0.firstID)...\($0.lastID):\($0.count):\($0.factory)" }
    }

    func testKilledBuildResumesToTheSameCoverageAsAnUninterruptedOne() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.facejobBinary.path) else {
            throw XCTSkip("!!! \(Self.facejobBinary.path) is not built: kill/resume test SKIPPED")
        }
        let reference = try WatchlistTestSchema(self)
        let (refScope, _, _) = try reference.populate(identities: 100, perIdentity: 10, seed: 21)
        let uninterrupted = try runBuild(reference, pauseMs: 0)
        uninterrupted.waitUntilExit()
        XCTAssertEqual(uninterrupted.terminationStatus, 0)
        let expected = try coverage(reference, refScope)
        XCTAssertEqual(expected.count, 4, "1000 embeddings, batches of 100, segments of 300")

        let killed = try WatchlistTestSchema(self)
        let (scope, _, _) = try killed.populate(identities: 100, perIdentity: 10, seed: 21)
        let victim = try runBuild(killed, pauseMs: 400)
        // Kill once a few batches are committed, while the build sleeps or works on the next one.
        let deadline = Date().addingTimeInterval(120)
        while try killed.count("index_segments") < 2 || (try killed.repository.segments(scope, withBytes: false)
                  .reduce(0) { $0 + $1.count }) < 400 {
            guard Date() < deadline, victim.isRunning else { return XCTFail("the build ended before it could be killed") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        XCTAssertEqual(victim.terminationReason, .uncaughtSignal)
        let partial = try coverage(killed, scope)
        XCTAssertLessThan(partial.count, expected.count, "the kill came too late to test anything")
        XCTAssertEqual(try killed.repository.buildState(scope).status, "running", "the killed build never finished")

        let resumed = try runBuild(killed, pauseMs: 0)
        resumed.waitUntilExit()
        XCTAssertEqual(resumed.terminationStatus, 0)
        XCTAssertEqual(try coverage(killed, scope), expected)
        XCTAssertEqual(try killed.repository.buildState(scope).status, "done")
        // Both indexes answer alike.
        let a = WatchlistSearcher(cache: WatchlistIndexCache())
        let b = WatchlistSearcher(cache: WatchlistIndexCache())
        var gen = SyntheticGallery(seed: 4)
        let queries = (0..<20).map { _ in QueryFace(embedding: gen.centre()) }
        let request = WatchlistSearchRequest(method: .ann, k: 5, threshold: 10)
        XCTAssertEqual(try a.search(queries, scope: refScope, request: request, in: reference.repository).map { $0.matches.map(\.embeddingID) },
                       try b.search(queries, scope: scope, request: request, in: killed.repository).map { $0.matches.map(\.embeddingID) })
    }

    func testIndexBuildOfAnUnknownWatchlistFailsWithUsageStatus() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.facejobBinary.path) else {
            throw XCTSkip("!!! \(Self.facejobBinary.path) is not built: CLI test SKIPPED")
        }
        let db = try WatchlistTestSchema(self)
        let process = Process()
        process.executableURL = Self.facejobBinary
        process.arguments = ["index", "build", "--watchlist", "nobody", "--database", db.url]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 64)
        XCTAssertTrue(message.contains("no watchlist named \"nobody\""), message)
    }
}
