import Foundation
import XCTest

/// A nightly sweep with `rescan`: when someone is enrolled between two sweeps, the next sweep
/// rescans the footage of its recent jobs against the changed watchlist without decoding it;
/// while the watchlist stays the same, it rescans nothing.
final class SweepRescanTests: XCTestCase {
    func testASweepRescansItsRecentJobsWhenTheWatchlistChanged() throws {
        let f = try EndToEndFixture(self)
        try f.register("alex-lacamoire.png", as: "Alex Lacamoire")
        let footage = f.folder.appendingPathComponent("footage")
        try FileManager.default.createDirectory(at: footage, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: f.clip, to: footage.appendingPathComponent("stage.mp4"))
        let definition = f.folder.appendingPathComponent("nightly.json")
        try """
            {"name": "nightly", "watchlist": "hamilton", "roots": [{"path": "footage", "camera": "stage"}],
             "settle_seconds": 0, "sampling": {"every_n": 25}, "rescan": {"days": 30},
             "report": {"directory": "reports", "formats": ["csv", "json"], "thumbnails": false}}
            """.write(to: definition, atomically: true, encoding: .utf8)

        let first = try f.binary.run(["sweep", definition.path, "--database", f.url])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertFalse(first.stdout.contains("rescan R"), "the first sweep records the watchlist state only: \(first.stdout)")
        let unchanged = try f.binary.run(["sweep", definition.path, "--database", f.url])
        XCTAssertEqual(unchanged.status, 0, unchanged.stderr)
        XCTAssertFalse(unchanged.stdout.contains("rescan R"), unchanged.stdout)

        try f.register("lin-manuel-miranda.png", as: "Lin-Manuel Miranda")
        let changed = try f.binary.run(["sweep", definition.path, "--database", f.url])
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertTrue(changed.stdout.contains("changed since the last sweep: rescan R1"), changed.stdout)
        let hits = f.folder.appendingPathComponent("reports/rescan-1/hits.csv")
        XCTAssertTrue(try String(contentsOf: hits, encoding: .utf8).contains("Lin-Manuel Miranda"))
        XCTAssertEqual(try f.count("jobs"), 1, "no footage was run again")

        let quiet = try f.binary.run(["sweep", definition.path, "--database", f.url])
        XCTAssertFalse(quiet.stdout.contains("rescan R"), "the state was recorded: \(quiet.stdout)")
        let invalid = f.folder.appendingPathComponent("invalid.json")
        try """
            {"name": "nightly", "watchlist": "hamilton", "roots": ["footage"], "rescan": {"days": 0, "weeks": 1}}
            """.write(to: invalid, atomically: true, encoding: .utf8)
        let refused = try f.binary.run(["sweep", invalid.path, "--database", f.url])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("/rescan/days") && refused.stderr.contains("/rescan/weeks"), refused.stderr)
    }
}
