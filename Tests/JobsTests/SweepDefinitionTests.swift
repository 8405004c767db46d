import Foundation
import XCTest
@testable import Jobs

final class SweepDefinitionTests: XCTestCase {
    func testExampleNightlyDefinitionIsValid() throws {
        let sweep = try SweepValidator.load(path: ManifestFixtures.repoRoot.appendingPathComponent("jobs/nightly.json").path,
                                            checkFiles: false)
        XCTAssertEqual(sweep.name, "nightly")
        XCTAssertEqual(sweep.roots, [SweepDefinition.Root(path: "/srv/footage/lobby", camera: "lobby"),
                                     SweepDefinition.Root(path: "/srv/footage/garage", camera: "garage")])
        XCTAssertEqual(sweep.patterns, ["**/*.mp4", "**/*.mkv"])
        XCTAssertEqual(sweep.settleSeconds, 600)
        XCTAssertEqual(sweep.sampling.mode, .fps(2))
        XCTAssertEqual(sweep.search.method, .ann)
        XCTAssertEqual(sweep.report.directory, "/srv/reports/nightly")
    }

    func testProblemsAreReportedWithPointers() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let json = #"{"name":"n","watchlist":"w","roots":["footage",{"path":"missing"},{"camera":"x"},7],"patterns":["/abs/*.mp4","a/[b",3],"settle_seconds":-5,"sampling":{"evry_n":2},"extra":1}"#
        guard case .failure(let e) = SweepValidator(baseDirectory: root).validate(Data(json.utf8)) else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(e.pointers, ["/extra", "/roots/1/path", "/roots/2/path", "/roots/3", "/patterns/0", "/patterns/1",
                                    "/patterns/2", "/settle_seconds", "/sampling/evry_n"])
        XCTAssertEqual(e.exitStatus.rawValue, 64)
    }

    func testCandidatesSkipFilesStillBeingWritten() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = Date(timeIntervalSinceNow: -3600)
        for f in ["footage/cam1.mp4", "footage/cam2.mp4", "footage/sub/cam4.mkv"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: root.appendingPathComponent(f).path)
        }
        let json = #"{"name":"n","watchlist":"w","roots":[{"path":"footage","camera":"c1"}],"patterns":["**/*.mp4","**/*.mkv","*.mp4"],"settle_seconds":600}"#
        let sweep = try SweepValidator(baseDirectory: root).validate(Data(json.utf8)).get()
        let found = try sweep.candidates(base: root)
        let base = root.standardizedFileURL.path + "/"
        XCTAssertEqual(found.map { String($0.path.dropFirst(base.count)) }, ["footage/cam1.mp4", "footage/cam2.mp4", "footage/sub/cam4.mkv"])
        XCTAssertEqual(Set(found.map(\.camera)), ["c1"])
    }
}
