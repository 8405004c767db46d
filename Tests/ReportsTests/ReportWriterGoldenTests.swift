import Foundation
import XCTest
@testable import Reports

final class ReportWriterGoldenTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func written(_ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    func testHitsCSV() throws {
        try CSVReportWriter().write(Fixtures.bundle(), to: dir)
        assertSnapshot(try written("hits.csv"), named: "testHitsCSV", ext: "csv")
    }

    func testSightingsCSV() throws {
        try SightingsCSVWriter().write(Fixtures.bundle(), to: dir)
        assertSnapshot(try written("sightings.csv"), named: "testSightingsCSV", ext: "csv")
    }

    func testJSON() throws {
        try JSONReportWriter().write(Fixtures.bundle(), to: dir)
        assertSnapshot(try written("hits.json"), named: "testJSON", ext: "json")
    }

    func testHTML() throws {
        try HTMLReportWriter().write(Fixtures.bundle(), to: dir)
        assertSnapshot(try written("report.html"), named: "testHTML", ext: "html")
        let photo = try Data(contentsOf: dir.appendingPathComponent("enrolled/7.jpg"))
        XCTAssertEqual([UInt8](photo), [0xFF, 0xD8, 0xFF, 0xD9])
        // Identity 9 has a sighting but no enrolled photo: nothing is invented for it.
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("enrolled/9.jpg").path))
    }

    func testOutputDoesNotDependOnInputOrder() throws {
        var shuffled = Fixtures.bundle()
        shuffled.hits.reverse()
        shuffled.sightings.swapAt(0, 2)
        for writer in [CSVReportWriter() as any ReportWriter, SightingsCSVWriter(), JSONReportWriter(), HTMLReportWriter()] {
            XCTAssertEqual(try writer.render(shuffled), try writer.render(Fixtures.bundle()), writer.fileName)
        }
    }

    func testReportSetWritesRequestedFormatsOnly() throws {
        let files = try ReportSet.write(Fixtures.bundle(), formats: [.csv, .html], to: dir)
        XCTAssertEqual(files.map(\.lastPathComponent), ["hits.csv", "sightings.csv", "report.html"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("hits.json").path))
    }
}
