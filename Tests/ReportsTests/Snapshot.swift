import Foundation
import XCTest

/// Golden-file check: compares `text` with `Snapshots/<name>.<ext>` beside this file. The file is
/// written when missing or when `RECORD_SNAPSHOTS=1`, and such a recording run fails on purpose so
/// a new golden file is always looked at before it is trusted.
func assertSnapshot(_ text: String, named name: String, ext: String, file: StaticString = #filePath, line: UInt = #line) {
    let folder = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = folder.appendingPathComponent("\(name).\(ext)")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    if record || !FileManager.default.fileExists(atPath: url.path) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            XCTFail("recorded snapshot \(url.path); check it, then rerun without RECORD_SNAPSHOTS", file: file, line: line)
        } catch {
            XCTFail("cannot record snapshot \(url.path): \(error)", file: file, line: line)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("cannot read snapshot \(url.path)", file: file, line: line)
        return
    }
    if expected != text {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDiff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let want = firstDiff < a.count ? String(a[firstDiff]) : "<end>"
        let got = firstDiff < b.count ? String(b[firstDiff]) : "<end>"
        XCTFail("\(name).\(ext) differs from its snapshot at line \(firstDiff + 1):\n  expected: \(want)\n  actual:   \(got)\n(RECORD_SNAPSHOTS=1 to re-record)",
                file: file, line: line)
    }
}
