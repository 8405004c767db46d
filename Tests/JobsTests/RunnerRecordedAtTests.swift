import Foundation
import Store
import XCTest
@testable import Jobs

/// Wall-clock times of glob inputs: each file's recording start is read from its name, hits get
/// start + pts, and the report says where every start came from.
final class RunnerRecordedAtTests: XCTestCase {
    func testGlobFilesGetWallClockTimesFromTheirNamesAndTheReportSaysSo() throws {
        let scene = try RunnerScene(self)
        let (folder, clip) = (scene.folder, scene.clip)
        let footage = folder.appendingPathComponent("footage")
        try FileManager.default.createDirectory(at: footage, withIntermediateDirectories: true)
        for name in ["stage_20150806_200000.mp4", "stage_20150806_201500.mp4"] {
            try FileManager.default.createSymbolicLink(atPath: footage.appendingPathComponent(name).path, withDestinationPath: clip)
        }
        try FileManager.default.createSymbolicLink(atPath: footage.appendingPathComponent("lobby.mp4").path, withDestinationPath: clip)
        let manifest = folder.appendingPathComponent("named.json")
        try """
            {"name": "named", "watchlist": "hamilton", "inputs": [
               {"path": "footage/lobby.mp4", "camera": "lobby", "recorded_at": "2015-08-06T19:00:00-04:00"},
               {"glob": "footage/stage_*.mp4", "camera": "stage",
                "recorded_at_from_name": {"pattern": "%Y%m%d_%H%M%S", "utc_offset": "-04:00"}}],
             "sampling": {"every_n": 25}, "report": {"directory": "reports", "formats": ["json", "html"], "thumbnails": false}}
            """.write(to: manifest, atomically: true, encoding: .utf8)
        let result = try scene.runner().run(try ManifestValidator.load(path: manifest.path), options: RunOptions(workers: 1))
        XCTAssertEqual(result.job.status, "done")
        XCTAssertEqual(result.inputs.map(\.file.recordedAtSource), [
            "manifest recorded_at", "file name, pattern `%Y%m%d_%H%M%S`, UTC offset -04:00",
            "file name, pattern `%Y%m%d_%H%M%S`, UTC offset -04:00",
        ])

        let reports = folder.appendingPathComponent("reports")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("hits.json")))
                                 as? [String: Any])
        let header = try XCTUnwrap(json["header"] as? [String: Any])
        let inputs = try XCTUnwrap(header["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.map { $0["recorded_at"] as? String },
                       ["2015-08-06T19:00:00.000-04:00", "2015-08-06T20:00:00.000-04:00", "2015-08-06T20:15:00.000-04:00"])
        XCTAssertEqual(inputs.map { $0["recorded_at_source"] as? String }, result.inputs.map(\.file.recordedAtSource))

        // The same frame of the same footage, three starts: three wall-clock times 0, 60 and 75 minutes apart.
        let hits = try XCTUnwrap(json["hits"] as? [[String: Any]])
        let lin = hits.filter { ($0["identity"] as? [String: Any])?["name"] as? String == "Lin-Manuel Miranda" }
        let first = try XCTUnwrap(lin.first { ($0["input_path"] as? String)?.hasSuffix("stage_20150806_201500.mp4") == true })
        let frame = try XCTUnwrap(first["frame_index"] as? Int)
        let wall = Dictionary(lin.filter { $0["frame_index"] as? Int == frame }.map {
            (((($0["input_path"] as? String) ?? "") as NSString).lastPathComponent, ($0["wall_clock"] as? String) ?? "")
        }, uniquingKeysWith: { a, _ in a })
        // Milliseconds of the day from `YYYY-MM-DDTHH:MM:SS.mmm-04:00`.
        func millis(_ text: String?) -> Int? {
            guard let text, text.hasSuffix("-04:00"), text.hasPrefix("2015-08-06T") else { return nil }
            let clock = text.dropFirst(11).dropLast(6).split(separator: ":")
            guard clock.count == 3, let h = Int(clock[0]), let m = Int(clock[1]), let s = Double(clock[2]) else { return nil }
            return (h * 3600 + m * 60) * 1000 + Int((s * 1000).rounded())
        }
        let lobby = try XCTUnwrap(millis(wall["lobby.mp4"]), "\(wall)")
        XCTAssertEqual(millis(wall["stage_20150806_200000.mp4"]), lobby + 3_600_000, "\(wall)")
        XCTAssertEqual(millis(wall["stage_20150806_201500.mp4"]), lobby + 4_500_000, "\(wall)")
        let pts = try XCTUnwrap((first["pts_ms"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(lobby, 19 * 3_600_000 + Int(pts), "start + pts, truncated to the millisecond")

        let html = try String(contentsOf: reports.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("from file name, pattern `%Y%m%d_%H%M%S`, UTC offset -04:00"), "the HTML says where times come from")
        XCTAssertTrue(html.contains("from manifest recorded_at"))
    }
}
