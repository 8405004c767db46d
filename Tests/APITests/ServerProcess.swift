import Foundation
import TestSupport
import XCTest

/// The built `facejob serve` binary on an ephemeral port over `databaseURL`, with the test token;
/// killed when the test ends if it is still running.
struct ServerProcess {
    let port: Int
    /// The running server, to signal and wait for.
    let process: ChildProcess.Running

    static func start(_ test: XCTestCase, databaseURL: String, allowedRoots: [String]) throws -> ServerProcess {
        let arguments = ["serve", "--port", "0", "--database", databaseURL, "--workers", "1"]
            + allowedRoots.flatMap { ["--allowed-root", $0] }
        let process = try FacejobBinary.locate().start(arguments, environment: ["FACEJOB_AUTH_TOKEN": APITestServer.token], test: test)
        // The command prints "listening on HOST:PORT" once bound.
        guard let line = process.waitForStderr(matching: #"listening on 127\.0\.0\.1:\d+"#, within: 60),
              let port = Int(line.split(separator: ":").last ?? "") else {
            throw XCTSkip("facejob serve did not start: \(process.stderr)")
        }
        return ServerProcess(port: port, process: process)
    }

    func send(_ method: String, _ path: String, json: [String: Any]? = nil, body: Data? = nil) async throws -> APITestServer.Reply {
        try await APITestServer.send(port: port, method, path, json: json, body: body)
    }
}
