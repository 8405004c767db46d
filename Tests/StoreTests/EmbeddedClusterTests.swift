import Common
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// The embedded cluster, started from nothing in a temporary FACEJOB_HOME (as root the server
/// runs as the `postgres` user, exactly as for users).
final class EmbeddedClusterTests: XCTestCase {
    private func temporaryHome() throws -> FacejobPaths {
        guard (try? PostgresServerTools.locate()) != nil else {
            let message = "!!! PostgreSQL server programs are missing: embedded-cluster tests SKIPPED "
                + "(apt-get install -y postgresql-15, or run scripts/test)"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        // Short and world-traversable, so the socket path fits and a dropped-privilege server reaches it.
        let home = "/tmp/fjc-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let paths = FacejobPaths(environment: ["FACEJOB_HOME": home])
        addTeardownBlock {
            _ = try? EmbeddedCluster(paths: paths).stop()
            try? FileManager.default.removeItem(atPath: home)
        }
        return paths
    }

    func testStartStatusStopRestart() throws {
        let paths = try temporaryHome()
        let cluster = EmbeddedCluster(paths: paths)
        let before = try cluster.status()
        XCTAssertFalse(before.initialized)
        XCTAssertFalse(before.running)

        let started = try cluster.start()
        XCTAssertTrue(started.initialized)
        XCTAssertTrue(started.running)
        let pid = try XCTUnwrap(started.pid)
        XCTAssertGreaterThan(pid, 0)
        XCTAssertTrue(isAlive(pid), "the reported pid must be a live process")
        XCTAssertEqual(try cluster.status().pid, pid)
        XCTAssertEqual(try cluster.start().pid, pid, "starting a running cluster keeps its server")

        do {
            let c = try PostgresConnection(url: cluster.url)
            XCTAssertEqual(try c.execute("SELECT current_database()").scalar(String.self), "facejob")
            XCTAssertEqual(try c.execute("SELECT current_user").scalar(String.self), "facejob")
            XCTAssertEqual(try c.execute("SHOW listen_addresses").scalar(String.self), "", "no TCP")
            try c.executeScript("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        }

        XCTAssertTrue(try cluster.stop())
        XCTAssertFalse(try cluster.status().running)
        // pg_ctl returns once the pid file is gone; the process itself may take a moment to exit.
        let deadline = Date().addingTimeInterval(10)
        while isAlive(pid), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(isAlive(pid), "the server process must be gone")
        XCTAssertFalse(try cluster.stop(), "stopping a stopped cluster reports it was not running")
        XCTAssertThrowsError(try PostgresConnection(url: cluster.url)) { error in
            XCTAssertTrue((error as? PostgresError)?.isConnectionFailure ?? false, "\(error)")
        }

        let restarted = try cluster.start()
        XCTAssertTrue(restarted.running)
        let c = try PostgresConnection(url: cluster.url)
        XCTAssertEqual(try c.execute("SELECT n FROM kept").scalar(Int.self), 42, "data survives a restart")
    }

    func testConcurrentStartsShareOneServer() throws {
        let paths = try temporaryHome()
        let outcomes = ResultBox()
        let pids = PidBox()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do { pids.add(try EmbeddedCluster(paths: paths).start().pid) }
            catch { outcomes.fail("\(error)") }
        }
        XCTAssertEqual(outcomes.errors, [])
        XCTAssertEqual(pids.values.count, 3)
        XCTAssertEqual(Set(pids.values).count, 1, "all starts must report the same server: \(pids.values)")
        XCTAssertNotNil(pids.values.first ?? nil)
    }

    func testLocatorStartsAndMigratesTheEmbeddedCluster() throws {
        let paths = try temporaryHome()
        let locator = DatabaseLocator(option: nil, environment: ["FACEJOB_HOME": paths.home], paths: paths)
        XCTAssertEqual(locator.source, .embedded)
        XCTAssertNil(locator.explicitURL)
        let c = try locator.connect()
        XCTAssertEqual(try Migrator().currentVersion(c), Migrations.latestVersion)
        XCTAssertTrue(try locator.cluster.status().running)
    }

    func testLocatorPrecedence() {
        let env = ["FACEJOB_DATABASE_URL": "postgresql://env@/db", "FACEJOB_HOME": "/tmp/x"]
        XCTAssertEqual(DatabaseLocator(option: "postgresql://opt@/db", environment: env).explicitURL, "postgresql://opt@/db")
        XCTAssertEqual(DatabaseLocator(option: "postgresql://opt@/db", environment: env).source, .option)
        XCTAssertEqual(DatabaseLocator(option: nil, environment: env).explicitURL, "postgresql://env@/db")
        XCTAssertEqual(DatabaseLocator(option: nil, environment: env).source, .environment)
        let embedded = DatabaseLocator(option: nil, environment: ["FACEJOB_HOME": "/tmp/x y"])
        XCTAssertEqual(embedded.source, .embedded)
        XCTAssertEqual(embedded.cluster.root, "/tmp/x y/pg")
        XCTAssertEqual(embedded.displayURL, "postgresql://facejob@/facejob?host=/tmp/x%20y/pg/run")
    }
}

/// True for a running process; an exited one may linger as a zombie when the container's init
/// does not reap orphans, which counts as gone.
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// Collects optional pids from concurrent workers.
final class PidBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int32?] = []
    func add(_ pid: Int32?) { lock.lock(); values.append(pid); lock.unlock() }
}
