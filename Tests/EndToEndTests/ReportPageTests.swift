import Foundation
import TestSupport
import XCTest

/// report.html in a real browser (Debian's Chromium, headless): no script errors, every image
/// loads, one timeline bar per sighting, the sightings table pages; a page of 10,000 hits loads
/// the same way. The screenshot is kept in .build/test-artifacts/report.png.
final class ReportPageTests: XCTestCase {
    private static let chromium = URL(fileURLWithPath: "/usr/bin/chromium")

    private func requireChromium() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium.path) else {
            let message = "!!! /usr/bin/chromium not installed (scripts/setup installs it): report page test SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
    }

    private func browser(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ChildProcess.run(Self.chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                     "--hide-scrollbars"] + args)
        return (r.status, r.stdout, r.stderr)
    }

    /// Loads the page with its self-check and returns `<body>`'s attributes and the DOM.
    private func check(_ page: URL) throws -> (attributes: [String: String], dom: String, log: String) {
        let r = try browser(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=20000", "--dump-dom",
                             page.absoluteString + "?check"])
        XCTAssertEqual(r.status, 0, r.stderr)
        guard let range = r.stdout.range(of: #"<body[^>]*>"#, options: .regularExpression) else { return ([:], r.stdout, r.stderr) }
        var attributes: [String: String] = [:]
        let tag = String(r.stdout[range])
        let regex = try NSRegularExpression(pattern: #"data-([a-z-]+)="([^"]*)""#)
        for m in regex.matches(in: tag, range: NSRange(tag.startIndex..., in: tag)) {
            if let k = Range(m.range(at: 1), in: tag), let v = Range(m.range(at: 2), in: tag) { attributes[String(tag[k])] = String(tag[v]) }
        }
        return (attributes, r.stdout, r.stderr)
    }

    private func consoleProblems(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter {
            $0.contains("CONSOLE") && ($0.contains("Uncaught") || $0.contains("Failed to load") || $0.contains("Error"))
        }
    }

    func testTheReportPageInABrowser() throws {
        try requireChromium()
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        // A second camera: seconds 4-9 of the clip, copied into a file of its own.
        let lobby = f.folder.appendingPathComponent("lobby.mp4")
        let cut = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffmpeg"),
                                       ["-v", "error", "-y", "-ss", "4", "-i", f.clip.path, "-t", "5", "-an", "-c:v", "copy", lobby.path])
        XCTAssertEqual(cut.status, 0, cut.stderr)
        let manifest = try f.manifest("page", inputs: [
            "{\"path\": \"\(f.clip.path)\", \"camera\": \"stage\", \"recorded_at\": \"2015-08-06T20:00:00-04:00\"}",
            "{\"path\": \"\(lobby.path)\", \"camera\": \"lobby\"}"])
        var text = try String(contentsOf: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"every_n\": 25", with: "\"every_n\": 5")
            .replacingOccurrences(of: "\"thumbnails\": false", with: "\"thumbnails\": true")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let ran = try f.binary.run(["run", manifest.path, "--database", f.url])
        XCTAssertTrue([0, 2].contains(ran.status), ran.stderr)
        let reports = f.folder.appendingPathComponent("reports-page")
        let sightings = try String(contentsOf: reports.appendingPathComponent("sightings.csv"), encoding: .utf8)
            .split(separator: "\n").count - 1
        XCTAssertGreaterThan(sightings, 0)
        let page = reports.appendingPathComponent("report.html")
        let result = try check(page)
        XCTAssertEqual(result.attributes["checked"], "1", "the page's self-check ran")
        XCTAssertEqual(result.attributes["errors"], "0", "no script errors")
        XCTAssertEqual(result.attributes["images-broken"], "0", "every image loads")
        XCTAssertGreaterThan(Int(result.attributes["images-total"] ?? "") ?? 0, sightings, "thumbnails and enrolled photos")
        XCTAssertEqual(result.dom.components(separatedBy: "class=\"bar").count - 1, sightings, "one timeline bar per sighting")
        XCTAssertEqual(consoleProblems(result.log), [])

        // The screenshot, kept as a test artifact.
        let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let shot = artifacts.appendingPathComponent("report.png")
        try? FileManager.default.removeItem(at: shot)
        let screenshot = try browser(["--window-size=1100,1500", "--screenshot=\(shot.path)", page.absoluteString])
        XCTAssertEqual(screenshot.status, 0, screenshot.stderr)
        XCTAssertGreaterThan((try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0, 10_000)
    }
}
