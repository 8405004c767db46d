import Foundation
import XCTest
@testable import Reports

final class AtomicFileTests: XCTestCase {
    private struct Interrupted: Error {}

    func testFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("hits.csv")
        try AtomicFile.write(Data("old complete report\n".utf8), to: url)
        XCTAssertThrowsError(try AtomicFile.write(to: url) { handle in
            try handle.write(contentsOf: Data("new half".utf8))
            throw Interrupted()
        })
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "old complete report\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["hits.csv"])
    }

    func testFailingWriterLeavesTheOldReport() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try HTMLReportWriter().write(Fixtures.bundle(), to: dir)
        let before = try Data(contentsOf: dir.appendingPathComponent("report.html"))
        var bad = Fixtures.bundle()
        bad.sightings[0].bestThumbnailPath = "../../etc/passwd"
        bad.header.jobName = "changed"
        XCTAssertThrowsError(try HTMLReportWriter().write(bad, to: dir)) { error in
            XCTAssertEqual(error as? ReportError, .unsafeRelativePath("../../etc/passwd"))
        }
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("report.html")), before)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.contains(".tmp-") })
    }

    func testWriteReplacesAndCreatesFolders() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a/b/c.txt")
        try AtomicFile.write(Data("1".utf8), to: url)
        try AtomicFile.write(Data("2".utf8), to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "2")
    }
}
