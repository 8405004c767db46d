import Common
import Foundation
import Postgres
import TestSupport
import XCTest

/// Evidence through the built binary on real footage: a clip per sighting by stream copy with its
/// SHA-256 in the reports; a case export that verifies, and fails naming the file when one byte of
/// a clip is changed; an export that would overwrite is refused.
final class EvidenceTests: XCTestCase {
    private func rows(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init))) }
    }

    func testClipsExportAndVerifyExport() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let manifest = try f.manifest("evidence", inputs: ["{\"path\": \"\(f.clip.path)\", \"camera\": \"stage\"}"])
        var text = try String(contentsOf: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"thumbnails\": false", with: "\"thumbnails\": true, \"clips\": true")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let ran = try f.binary.run(["run", manifest.path, "--database", f.url])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        let reports = f.folder.appendingPathComponent("reports-evidence")
        let sightings = try rows(reports.appendingPathComponent("sightings.csv"))
        XCTAssertFalse(sightings.isEmpty)
        for s in sightings {
            let clip = try XCTUnwrap(s["clip"].flatMap { $0.isEmpty ? nil : $0 }, "\(s)")
            let url = reports.appendingPathComponent(clip)
            XCTAssertEqual(try SHA256Hex.file(at: url.path), s["clip_sha256"], clip)
            // Stream copy: the clip covers the sighting ±2 s (from the keyframe before) and plays.
            let probe = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffprobe"), [
                "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", url.path])
            let duration = try XCTUnwrap(Double(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), probe.stderr)
            let first = try XCTUnwrap(Double(s["first_pts_ms"] ?? "")), last = try XCTUnwrap(Double(s["last_pts_ms"] ?? ""))
            XCTAssertGreaterThanOrEqual(duration + 0.1, (min(last + 2_000, 10_000) - max(0, first - 2_000)) / 1000, clip)
        }
        let html = try String(contentsOf: reports.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("href=\"clips/s"), "report.html links the clips")

        // The case export verifies; the same target again is refused without --force.
        let archive = f.folder.appendingPathComponent("case-evidence.tar")
        let exported = try f.binary.run(["export", "evidence", "--out", archive.path, "--database", f.url])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let verified = try f.binary.run(["verify-export", archive.path])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        let again = try f.binary.run(["export", "evidence", "--out", archive.path, "--database", f.url])
        XCTAssertEqual(again.status, 64, again.stderr)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        let entries = try TarReader.entries(of: archive).map(\.path)
        let root = try XCTUnwrap(entries.first?.split(separator: "/").first).description
        for expected in ["manifest.json", "job.json", "audit.jsonl", "export.json", "SHA256SUMS", "reports/hits.csv",
                         "reports/report.html"] {
            XCTAssertTrue(entries.contains("\(root)/\(expected)"), expected)
        }
        XCTAssertTrue(entries.contains { $0.hasPrefix("\(root)/reports/clips/") }, "the clips are in it")
        XCTAssertTrue(entries.contains { $0.hasPrefix("\(root)/enrolled/") }, "the enrolled photos are in it")
        XCTAssertEqual(try f.admin.execute("SELECT count(*) FROM \(f.schema).audit_log WHERE action = 'job.export'").scalar(Int.self), 1)

        // One byte of a clip changed: verification fails and names the file.
        let clipEntry = try XCTUnwrap(entries.first { $0.hasPrefix("\(root)/reports/clips/") })
        var bytes = try Data(contentsOf: archive)
        let marker = Data(clipEntry.utf8)
        let header = try XCTUnwrap(bytes.range(of: marker)?.lowerBound)
        let contentStart = header + 512
        bytes[contentStart + 100] ^= 0x01
        try bytes.write(to: archive)
        let tampered = try f.binary.run(["verify-export", archive.path])
        XCTAssertEqual(tampered.status, 1, tampered.stdout)
        XCTAssertTrue(tampered.stdout.contains("CHANGED  \(clipEntry)"), tampered.stdout)
        let forced = try f.binary.run(["export", "evidence", "--out", archive.path, "--force", "--database", f.url])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try f.binary.run(["verify-export", archive.path]).status, 0)
        let junk = f.folder.appendingPathComponent("junk.tar")
        try Data("not a tar".utf8).write(to: junk)
        XCTAssertEqual(try f.binary.run(["verify-export", junk.path]).status, 64)
    }
}
