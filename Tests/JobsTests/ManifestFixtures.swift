import Foundation
import XCTest

/// Scratch folders with a little footage tree for manifest and glob tests.
enum ManifestFixtures {
    /// `Tests/JobsTests/Corpus` in the source tree.
    static let corpus = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Corpus")
    /// The repository root.
    static let repoRoot = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A new folder holding footage/cam1.mp4, cam2.mp4, cam3.mp4, sub/cam4.mkv and .hidden.mp4.
    static func footageTree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-jobs-\(UUID().uuidString)")
        for file in ["footage/cam1.mp4", "footage/cam2.mp4", "footage/cam3.mp4", "footage/sub/cam4.mkv", "footage/.hidden.mp4"] {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.utf8).write(to: url)
        }
        return root
    }
}
