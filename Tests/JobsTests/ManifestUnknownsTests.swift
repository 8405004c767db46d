import Foundation
import XCTest
@testable import Jobs

/// The manifest's `unknowns` switch: off by default, `true` for the defaults, an object for
/// settings; stored manifests without it read back as off; settings appear in report headers.
final class ManifestUnknownsTests: XCTestCase {
    private func manifest(_ unknowns: String?) throws -> Manifest {
        let extra = unknowns.map { ", \"unknowns\": \($0)" } ?? ""
        let text = "{\"name\": \"a\", \"watchlist\": \"w\", \"inputs\": [{\"path\": \"x.mp4\"}]\(extra)}"
        switch ManifestValidator(baseDirectory: URL(fileURLWithPath: "/tmp"), checkFiles: false).validate(Data(text.utf8)) {
        case .success(let v): return v.manifest
        case .failure(let e): throw e
        }
    }

    func testOffByDefaultOnWithTrueOrSettings() throws {
        XCTAssertNil(try manifest(nil).unknowns)
        XCTAssertNil(try manifest("false").unknowns)
        XCTAssertNil(try manifest("{\"enabled\": false, \"threshold\": 0.5}").unknowns)
        XCTAssertEqual(try manifest("true").unknowns, UnknownsSettings())
        let custom = try XCTUnwrap(try manifest("{\"threshold\": 0.5, \"best_faces\": 3, \"min_faces\": 4}").unknowns)
        XCTAssertEqual(custom.threshold, 0.5)
        XCTAssertEqual(custom.bestFaces, 3)
        XCTAssertEqual(custom.minFaces, 4)
        XCTAssertTrue(custom.enabled)
        let names = try manifest("{\"threshold\": 0.5}").reportSettings.map(\.name)
        XCTAssertTrue(names.contains("unknowns.threshold"))
        XCTAssertFalse(try manifest(nil).reportSettings.map(\.name).contains { $0.hasPrefix("unknowns") },
                       "reports of jobs without unknowns are unchanged")
    }

    func testStoredManifestsRoundTripAndOldOnesReadAsOff() throws {
        let on = try manifest("{\"threshold\": 0.55}")
        let data = try JSONEncoder().encode(on)
        XCTAssertEqual(try JSONDecoder().decode(Manifest.self, from: data), on)
        var old = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        old["unknowns"] = nil
        let decoded = try JSONDecoder().decode(Manifest.self, from: try JSONSerialization.data(withJSONObject: old))
        XCTAssertNil(decoded.unknowns)
    }

    func testAStringIsRefusedWithAHint() throws {
        XCTAssertThrowsError(try manifest("\"yes\"")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("/unknowns") && text.contains("true, false or an object"), text)
        }
    }
}
