import XCTest

final class CLITests: XCTestCase {
    func testHelpListsEverySubcommand() throws {
        let result = try FacejobBinary.locate().run(["--help"])
        XCTAssertEqual(result.status, 0)
        for command in ["run", "sweep", "register", "watchlist", "index", "search", "verify", "detect",
                        "embed", "probe", "report", "jobs", "serve", "db", "doctor"] {
            XCTAssertTrue(result.stdout.contains("  \(command) "), "--help lacks \(command):\n\(result.stdout)")
        }
    }

    func testVersion() throws {
        let result = try FacejobBinary.locate().run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.range(of: #"^\d+\.\d+\.\d+\s*$"#, options: .regularExpression) != nil,
                      result.stdout)
    }

    func testUnknownSubcommandIsAUsageError() throws {
        let result = try FacejobBinary.locate().run(["frobnicate"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("frobnicate"))
    }
}
