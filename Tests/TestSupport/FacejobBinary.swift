import Foundation
import XCTest

/// Runs the built `facejob` binary the way a user would and captures what it prints.
public struct FacejobBinary {
    /// Result of one run.
    public typealias Result = ChildProcess.Result

    /// Where the binary is.
    public let url: URL

    /// A binary at `url`.
    public init(url: URL) {
        self.url = url
    }

    /// The binary built next to the test bundle, or `$FACEJOB_BIN`; a loud skip when there is none.
    public static func locate() throws -> FacejobBinary {
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

    /// Runs `facejob args…` to completion, with this process's environment plus `environment`.
    public func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        try ChildProcess.run(url, args, environment: environment)
    }

    /// Starts `facejob args…` in the background (killed when `test` ends, if still running).
    public func start(_ args: [String], environment: [String: String] = [:], test: XCTestCase) throws -> ChildProcess.Running {
        try ChildProcess.start(url, args, environment: environment, test: test)
    }
}

private final class BundleToken {}
