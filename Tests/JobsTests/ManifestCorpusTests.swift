import Common
import Foundation
import XCTest
@testable import Jobs

final class ManifestCorpusTests: XCTestCase {
    func testEveryMalformedManifestReportsItsPointers() throws {
        let bad = ManifestFixtures.corpus.appendingPathComponent("bad")
        let names = try FileManager.default.contentsOfDirectory(atPath: bad.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20, "the corpus went missing")
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        for name in names {
            let manifest = root.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: manifest)
            try FileManager.default.copyItem(at: bad.appendingPathComponent(name), to: manifest)
            let expectedText = try String(contentsOf: bad.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".expected")),
                                          encoding: .utf8)
            let expected = expectedText.split(separator: "\n").map { $0 == "(document)" ? "" : String($0) }
            do {
                _ = try ManifestValidator.load(path: manifest.path)
                XCTFail("\(name) was accepted")
            } catch let error as ManifestValidationError {
                XCTAssertEqual(error.pointers, expected, "\(name):\n\(error)")
                if ProcessInfo.processInfo.environment["PRINT_CORPUS"] == "1" { print(error) }
                XCTAssertEqual(error.exitStatus, .usage)
                XCTAssertEqual(error.exitStatus.rawValue, 64)
                XCTAssertTrue(error.description.hasPrefix(manifest.path), name)
            }
        }
    }

    func testHintsNameTheFix() throws {
        let root = try ManifestFixtures.footageTree()
        defer { try? FileManager.default.removeItem(at: root) }
        func issues(_ json: String) -> [ManifestIssue] {
            if case .failure(let e) = ManifestValidator(baseDirectory: root).validate(Data(json.utf8)) { return e.issues }
            return []
        }
        let typo = issues(#"{"name":"a","watchlist":"w","inputs":[{"path":"footage/cam1.mp4"}],"sampling":{"everyN":5}}"#)
        XCTAssertEqual(typo.first?.hint, "did you mean `every_n`?")
        let time = issues(#"{"name":"a","watchlist":"w","inputs":[{"path":"footage/cam1.mp4","recorded_at":"2026-11-29T03:00"}]}"#)
        XCTAssertEqual(time.first?.pointer, "/inputs/0/recorded_at")
        XCTAssertTrue(time.first?.hint?.contains("expected RFC 3339 like 2026-11-29T03:00:00Z") ?? false)
        let quoted = issues(#"{"name":"a","watchlist":"w","inputs":[{"path":"footage/cam1.mp4"}],"workers":"4"}"#)
        XCTAssertEqual(quoted.first?.hint, "write 4 without quotes")
        let folder = issues(#"{"name":"a","watchlist":"w","inputs":[{"path":"footage"}]}"#)
        XCTAssertEqual(folder.first?.hint, "use \"glob\": \"footage/**/*.mp4\" to take the videos inside it")
        let method = issues(#"{"name":"a","watchlist":"w","inputs":[{"path":"footage/cam1.mp4"}],"search":{"method":"ANN"}}"#)
        XCTAssertEqual(method.first?.hint, "did you mean `ann`?")
        let syntax = issues("{\n  \"name\": \"a\",\n  \"watchlist\": w\n}")
        XCTAssertEqual(syntax.first?.message.hasPrefix("not valid JSON at line 3, column 16"), true, syntax.first?.message ?? "")
    }

    func testAllProblemsAreListedInOneMessage() {
        let e = ManifestValidationError(file: "m.json", issues: [
            ManifestIssue(pointer: "/inputs/2/glob", message: "`x/*.mp4` matches no file", hint: "relative globs …"),
            ManifestIssue(pointer: "", message: "not valid JSON"),
        ])
        XCTAssertEqual(e.description, """
        m.json is not valid (2 problems):
          /inputs/2/glob: `x/*.mp4` matches no file (hint: relative globs …)
          (document): not valid JSON
        """)
    }
}
