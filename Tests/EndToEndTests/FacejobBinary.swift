import Foundation
import TestSupport
import XCTest

/// Runs the built `facejob` binary the way a user would and captures what it prints.
struct FacejobBinary {
    /// Result of one run.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let url: URL

    /// The binary built next to the test bundle, or `$FACEJOB_BIN`.
    static func locate() throws -> FacejobBinary {
        if let explicit = ProcessInfo.processInfo.environment["FACEJOB_BIN"], !explicit.isEmpty {
            return FacejobBinary(url: URL(fileURLWithPath: explicit))
        }
        // The test bundle sits in the products folder on some platforms and is that folder on
        // others; the checkout's .build/debug link is the last resort.
        let bundle = Bundle(for: BundleToken.self).bundleURL
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("facejob"),
                          bundle.appendingPathComponent("facejob"),
                          bundle.appendingPathComponent("debug/facejob"),
                          repo.appendingPathComponent(".build/debug/facejob")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("!!! facejob binary not found (looked at \(candidates.map(\.path))); build it or set FACEJOB_BIN")
        }
        return FacejobBinary(url: found)
    }

    /// Runs `facejob args…` to completion.
    func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        let r = try ChildProcess.run(url, args, environment: environment)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

private final class BundleToken {}
