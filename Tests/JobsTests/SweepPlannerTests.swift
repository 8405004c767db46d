import Foundation
import XCTest
@testable import Jobs

final class SweepPlannerTests: XCTestCase {
    func testFindsNewChangedTouchedAndMovedFootage() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let definition = #"{"name":"n","watchlist":"w","roots":["footage"],"patterns":["*.mp4"],"settle_seconds":0}"#
        let sweep = try SweepValidator(baseDirectory: root).validate(Data(definition.utf8)).get()
        func path(_ name: String) -> String { root.standardizedFileURL.path + "/footage/" + name }

        let first = SweepPlanner.plan(candidates: try sweep.candidates(base: root), ledger: [])
        XCTAssertEqual(first.changes.map(\.change), [.new, .new, .new])
        XCTAssertEqual(first.toRun.map(\.input.path), [path("cam1.mp4"), path("cam2.mp4"), path("cam3.mp4")])
        let ledger = first.toRun.map(FootageRecord.init)

        let again = SweepPlanner.plan(candidates: try sweep.candidates(base: root), ledger: ledger)
        XCTAssertEqual(again.changes.map(\.change), [.unchanged, .unchanged, .unchanged])
        XCTAssertTrue(again.toRun.isEmpty)

        // cam1: touched (same bytes, new time); cam2: rewritten; cam3 renamed to cam9.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -10)], ofItemAtPath: path("cam1.mp4"))
        try Data("different content".utf8).write(to: URL(fileURLWithPath: path("cam2.mp4")))
        try FileManager.default.moveItem(atPath: path("cam3.mp4"), toPath: path("cam9.mp4"))
        let third = SweepPlanner.plan(candidates: try sweep.candidates(base: root), ledger: ledger)
        XCTAssertEqual(third.changes.map(\.path), [path("cam1.mp4"), path("cam2.mp4"), path("cam9.mp4")])
        XCTAssertEqual(third.changes.map(\.change), [.touched, .changed(previousSHA256: ledger[1].sha256), .moved(from: path("cam3.mp4"))])
        XCTAssertEqual(third.toRun.map(\.input.path), [path("cam2.mp4")])
        XCTAssertNotEqual(third.toRun.first?.sha256, ledger[1].sha256)
    }

    func testUnreadableCandidatesAreReportedNotFatal() {
        let plan = SweepPlanner.plan(candidates: [ResolvedInput(path: "/nonexistent/x.mp4", specIndex: 0, camera: nil, recordedAt: nil)],
                                     ledger: [])
        XCTAssertEqual(plan.unreadable.map(\.path), ["/nonexistent/x.mp4"])
        XCTAssertTrue(plan.toRun.isEmpty)
    }

    func testFingerprintHashesTheContent() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let p = root.appendingPathComponent("footage/cam1.mp4").path
        let f = try InputFile.fingerprint(ResolvedInput(path: p, specIndex: 0, camera: "c", recordedAt: nil))
        // The fixture file holds its own relative name; `printf footage/cam1.mp4 | sha256sum` gives:
        XCTAssertEqual(f.sha256, "cedbcbf1c4b273709628092d2dadd99ca5fd78a5a1afbf848c939de214c9bdeb")
        XCTAssertEqual(f.sizeBytes, 16)
        XCTAssertGreaterThan(f.modifiedNanoseconds, 1_700_000_000_000_000_000)
    }
}
