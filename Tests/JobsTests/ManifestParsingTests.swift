import Foundation
import Reports
import XCTest
@testable import Jobs

final class ManifestParsingTests: XCTestCase {
    func testFullManifestParsesToTheExpectedModel() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let json = """
        {
          "$schema": "manifest.schema.json",
          "name": "case-7",
          "database": "postgres://fj@db.example:5432/facejob",
          "watchlist": "wanted",
          "inputs": [
            {"path": "footage/cam2.mp4", "camera": "lobby", "recorded_at": "2026-11-29T03:00:00.5+01:00"},
            {"glob": "footage/**/*.m[kp][v4]", "camera": "any"}
          ],
          "sampling": {"fps": 2.5, "window": {"from": 1.5, "to": 60}},
          "detector": {"min_face": 40, "thresholds": [0.5, 0.6, 0.9], "max_side": 1280},
          "model": "dlib_resnet_v1",
          "search": {"method": "ann", "metric": "cosine", "k": 3, "threshold": 0.05, "index_factory": "IVF64,Flat"},
          "tracking": {"iou": 0, "max_gap_frames": 2, "max_distance": 0.45},
          "report": {"directory": "/tmp/out", "formats": ["html", "csv"], "thumbnails": false},
          "workers": 3
        }
        """
        let v = try ManifestValidator(baseDirectory: root).validate(Data(json.utf8)).get()
        let start = try XCTUnwrap(RecordingStart(rfc3339: "2026-11-29T03:00:00.5+01:00"))
        XCTAssertEqual(v.manifest, Manifest(
            name: "case-7", database: "postgres://fj@db.example:5432/facejob", watchlist: "wanted",
            inputs: [InputSpec(source: .path("footage/cam2.mp4"), camera: "lobby", recordedAt: start),
                     InputSpec(source: .glob("footage/**/*.m[kp][v4]"), camera: "any")],
            sampling: Sampling(mode: .fps(2.5), window: TimeWindow(from: 1.5, to: 60)),
            detector: DetectorSettings(minFace: 40, thresholds: [0.5, 0.6, 0.9], maxSide: 1280),
            model: "dlib_resnet_v1",
            search: SearchSettings(method: .ann, metric: .cosine, k: 3, threshold: 0.05, indexFactory: "IVF64,Flat"),
            tracking: TrackingSettings(iou: 0, maxGapFrames: 2, maxDistance: 0.45),
            report: ReportSettings(directory: "/tmp/out", formats: [.csv, .html], thumbnails: false),
            workers: 3))
        let base = root.standardizedFileURL.path
        // cam2 is named by the path entry, so the glob contributes the others, sorted.
        XCTAssertEqual(v.inputs.map(\.path), ["footage/cam2.mp4", "footage/cam1.mp4", "footage/cam3.mp4", "footage/sub/cam4.mkv"]
            .map { base + "/" + $0 })
        XCTAssertEqual(v.inputs.map(\.specIndex), [0, 1, 1, 1])
        XCTAssertEqual(v.inputs[0].recordedAt, start)
        XCTAssertEqual(v.inputs[1].camera, "any")
        XCTAssertEqual(v.reportDirectory.path, "/tmp/out")
    }

    func testDefaults() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let v = try ManifestValidator(baseDirectory: root)
            .validate(Data(#"{"name":"n","watchlist":"w","inputs":[{"path":"footage/cam1.mp4"}]}"#.utf8)).get()
        let m = v.manifest
        XCTAssertEqual(m.sampling, Sampling(mode: .everyN(1), window: TimeWindow(from: 0, to: nil)))
        XCTAssertEqual(m.detector, DetectorSettings(minFace: 20, thresholds: [0.6, 0.7, 0.7], maxSide: nil))
        XCTAssertEqual(m.model, "dlib_resnet_v1")
        XCTAssertEqual(m.search, SearchSettings(method: .exact, metric: .euclidean, k: 1, threshold: 0.6, indexFactory: "HNSW32,Flat"))
        XCTAssertEqual(m.tracking, TrackingSettings(iou: 0.3, maxGapFrames: 5, maxDistance: 0.5))
        XCTAssertEqual(m.report, ReportSettings(directory: "reports/n", formats: [.csv, .json, .html], thumbnails: true))
        XCTAssertNil(m.workers)
        XCTAssertNil(m.database)
        XCTAssertEqual(v.reportDirectory.path, root.standardizedFileURL.path + "/reports/n")
        XCTAssertEqual(SearchSettings(metric: .cosine).threshold, 0.07)
    }

    func testManifestCodableRoundTrip() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let json = #"{"name":"n","watchlist":"w","inputs":[{"path":"footage/cam1.mp4","recorded_at":"2026-01-01T00:00:00.123456789-03:30"},{"glob":"footage/*.mp4x"}],"sampling":{"keyframes":true}}"#
        let m = try ManifestValidator(baseDirectory: root, checkFiles: false).validate(Data(json.utf8)).get().manifest
        let encoded = try JSONEncoder().encode(m)
        XCTAssertEqual(try JSONDecoder().decode(Manifest.self, from: encoded), m)
        // The encoded form is itself a valid manifest that yields the same model.
        let again = try ManifestValidator(baseDirectory: root, checkFiles: false).validate(encoded).get().manifest
        XCTAssertEqual(again, m)
    }

    func testExampleManifestsAreValid() throws {
        let folder = ManifestFixtures.repoRoot.appendingPathComponent("manifests")
        let template = try ManifestValidator.load(path: folder.appendingPathComponent("case-template.json").path, checkFiles: false)
        XCTAssertEqual(template.manifest.name, "case-1142")
        XCTAssertEqual(template.manifest.inputs.count, 3)
        let hamilton = folder.appendingPathComponent("hamilton.json").path
        let data = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"] ?? ManifestFixtures.repoRoot.path + "/../shared/data"
        guard FileManager.default.fileExists(atPath: data + "/video/short_hamilton_clip.mp4") else {
            print("!!! SKIPPING the file check of manifests/hamilton.json: test data missing at \(data)")
            _ = try ManifestValidator.load(path: hamilton, checkFiles: false)
            return
        }
        let v = try ManifestValidator.load(path: hamilton)
        XCTAssertEqual(v.inputs.count, 1)
        XCTAssertTrue(v.inputs[0].path.hasSuffix("/shared/data/video/short_hamilton_clip.mp4"))
        XCTAssertEqual(v.manifest.sampling.mode, .everyN(5))
        XCTAssertEqual(v.inputs[0].recordedAt?.rfc3339, "2015-08-06T20:00:00.000-04:00")
    }

    func testReportSettingsListEveryEffectiveSetting() throws {
        let m = Manifest(name: "n", watchlist: "w", inputs: [], report: ReportSettings(directory: "r"))
        let names = m.reportSettings.map(\.name)
        XCTAssertEqual(names.first, "watchlist")
        XCTAssertTrue(names.contains("search.threshold"))
        XCTAssertFalse(names.contains("search.index_factory"), "index_factory is meaningless for exact search")
        XCTAssertEqual(Set(names).count, names.count)
    }
}
