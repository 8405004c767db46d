import Foundation
import XCTest
@testable import Reports

/// A report of 10,000 hits (1,000 sightings on 4 cameras) in headless Chromium: it loads without
/// script errors, draws one bar per sighting, and its table shows one page of 100 rows.
final class ReportPageScaleTests: XCTestCase {
    func testTenThousandHitsLoadAndPage() throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            let message = "!!! /usr/bin/chromium not installed (scripts/setup installs it): report scale test SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        var bundle = Fixtures.bundle()
        bundle.hits = []
        bundle.sightings = (0..<1_000).map { n in
            let first = Int64(n) * 3_000_000
            var s = SightingRecord(sightingID: Int64(n + 1), inputPath: "/footage/cam\(n % 4).mp4", inputSHA256: String(repeating: "a", count: 64),
                                   camera: "cam\(n % 4)", recordedAt: nil, trackID: Int64(n), identityID: Int64(n % 37),
                                   identityName: "person \(n % 37)", externalID: nil, firstFrame: Int64(n) * 75,
                                   firstPtsMicroseconds: first, lastFrame: Int64(n) * 75 + 250, lastPtsMicroseconds: first + 10_000_000,
                                   bestFrame: Int64(n) * 75 + 100, bestPtsMicroseconds: first + 4_000_000, bestDistance: 0.4,
                                   hitCount: 10, bestThumbnailPath: nil)
            if n % 3 == 0 { s.review = ReviewStatus(decision: "confirmed", reviewer: "a", decidedAt: "2026-12-01T00:00:00Z", reason: nil) }
            return s
        }
        bundle.enrolledPhotos = [:]
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = try HTMLReportWriter().write(bundle, to: folder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=20000",
                             "--dump-dom", page.absoluteString + "?check"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print("report page of 1,000 sightings (10,000 hits): loaded and checked in \(Date().timeIntervalSince(started)) s")
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(dom.contains("data-checked=\"1\"") && dom.contains("data-errors=\"0\""), String(dom.prefix(300)))
        XCTAssertEqual(dom.components(separatedBy: "class=\"bar").count - 1, 1_000)
        let rows = try NSRegularExpression(pattern: #"<tr[^>]*><td data-value="#)
            .numberOfMatches(in: dom, range: NSRange(dom.startIndex..., in: dom))
        let hidden = dom.components(separatedBy: "<tr style=\"display: none;\"><td data-value=").count - 1
        XCTAssertEqual(rows, 1_000)
        XCTAssertEqual(rows - hidden, 100, "one page of 100 rows")
    }
}
