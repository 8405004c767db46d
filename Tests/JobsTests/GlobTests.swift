import Foundation
import XCTest
@testable import Jobs

final class GlobTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try ManifestFixtures.footageTree()
        for file in ["footage/sub/deeper/cam5.mp4", "footage/ü name [1].mp4", "footage/star*.mp4", "other/cam9.mp4"] {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("footage/sub/loop").path,
                                                   withDestinationPath: root.appendingPathComponent("footage").path)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func expand(_ pattern: String) throws -> [String] {
        let base = root.standardizedFileURL.path + "/"
        return try Glob(pattern).expand(base: root).map { $0.hasPrefix(base) ? String($0.dropFirst(base.count)) : $0 }
    }

    func testWildcards() throws {
        XCTAssertEqual(try expand("footage/*.mp4"),
                       ["footage/cam1.mp4", "footage/cam2.mp4", "footage/cam3.mp4", "footage/star*.mp4", "footage/ü name [1].mp4"])
        XCTAssertEqual(try expand("footage/cam?.mp4"), ["footage/cam1.mp4", "footage/cam2.mp4", "footage/cam3.mp4"])
        XCTAssertEqual(try expand("footage/cam[13].mp4"), ["footage/cam1.mp4", "footage/cam3.mp4"])
        XCTAssertEqual(try expand("footage/cam[!13].mp4"), ["footage/cam2.mp4"])
        XCTAssertEqual(try expand("footage/cam[2-3].mp4"), ["footage/cam2.mp4", "footage/cam3.mp4"])
        XCTAssertEqual(try expand("footage/star\\*.mp4"), ["footage/star*.mp4"])
        XCTAssertEqual(try expand("footage/ü name \\[1\\].mp4"), ["footage/ü name [1].mp4"])
        XCTAssertEqual(try expand("*/cam9.mp4"), ["other/cam9.mp4"])
    }

    func testRecursiveSegments() throws {
        XCTAssertEqual(try expand("**/*.mkv"), ["footage/sub/cam4.mkv"])
        XCTAssertEqual(try expand("footage/**/cam*.mp4"),
                       ["footage/cam1.mp4", "footage/cam2.mp4", "footage/cam3.mp4", "footage/sub/deeper/cam5.mp4"])
        XCTAssertEqual(try expand("footage/sub/**"), ["footage/sub/cam4.mkv", "footage/sub/deeper/cam5.mp4"])
    }

    func testDotSegmentsGiveCleanPaths() throws {
        XCTAssertEqual(try expand("./footage/./sub/*.mkv"), ["footage/sub/cam4.mkv"])
        XCTAssertEqual(try expand("other/../footage/cam[1].mp4"), ["footage/cam1.mp4"])
    }

    func testHiddenFilesNeedAnExplicitDot() throws {
        XCTAssertFalse(try expand("footage/*").contains("footage/.hidden.mp4"))
        XCTAssertEqual(try expand("footage/.*.mp4"), ["footage/.hidden.mp4"])
    }

    func testAbsolutePatternsIgnoreTheBase() throws {
        let absolute = root.standardizedFileURL.path + "/other/*.mp4"
        XCTAssertEqual(try Glob(absolute).expand(base: URL(fileURLWithPath: "/nonexistent")), [root.standardizedFileURL.path + "/other/cam9.mp4"])
    }

    func testOrderIsByteOrderNotLocale() throws {
        let got = try Glob("footage/*").expand(base: root)
        XCTAssertEqual(got, got.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    func testBadPatterns() {
        for bad in ["", "a/", "a/[bc", "a**/b", "a/b\\", "x/[z-a]"] {
            XCTAssertThrowsError(try Glob(bad), bad)
        }
    }
}
