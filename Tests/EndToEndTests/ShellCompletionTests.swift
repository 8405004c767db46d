import Foundation
import TestSupport
import XCTest

/// `facejob --generate-completion-script bash|zsh|fish`: each script loads in its shell and
/// completes facejob's subcommands and options (scripts/setup installs bash, zsh and fish).
final class ShellCompletionTests: XCTestCase {
    /// The script for `shell`, written to a temporary file.
    private func script(_ shell: String) throws -> URL {
        let r = try FacejobBinary.locate().run(["--generate-completion-script", shell])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.isEmpty, "no \(shell) script")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-completion-\(UUID().uuidString).\(shell)")
        try r.stdout.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// `/usr/bin/SHELL args…`; a missing shell fails the test (scripts/setup installs it).
    private func shell(_ name: String, _ args: [String]) throws -> ChildProcess.Result {
        let path = "/usr/bin/\(name)"
        guard FileManager.default.isExecutableFile(atPath: path) else { throw MissingShell(path: path) }
        return try ChildProcess.run(URL(fileURLWithPath: path), args)
    }

    func testBashScriptLoadsAndCompletesSubcommandsAndOptions() throws {
        let url = try script("bash")
        // `complete -p` shows the registration; calling the function as bash would on TAB shows what it offers.
        let r = try shell("bash", ["-c", """
            source "$1" || exit 10
            complete -p facejob || exit 11
            complete_line() { COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -r -a COMP_WORDS <<<"$1"
                              COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
                              _facejob facejob "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                              echo "$1 => ${COMPREPLY[*]}"; }
            complete_line "facejob jo"
            complete_line "facejob jobs status --js"
            complete_line "facejob doctor --js"
            """, "bash", url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "sourcing prints no errors")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "complete -o filenames -F _facejob facejob")
        XCTAssertTrue(lines.contains("facejob jo => jobs"), r.stdout)
        XCTAssertTrue(lines.contains("facejob jobs status --js => --json"), r.stdout)
        XCTAssertTrue(lines.contains("facejob doctor --js => --json"), r.stdout)
    }

    func testZshScriptParses() throws {
        let url = try script("zsh")
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).hasPrefix("#compdef facejob"))
        let r = try shell("zsh", ["-n", url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
    }

    func testFishScriptParsesAndCompletesSubcommands() throws {
        let url = try script("fish")
        let parsed = try shell("fish", ["-n", url.path])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        let r = try shell("fish", ["-c", "source $argv[1]; and complete -C'facejob jo'", url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.split(separator: "\n").contains { $0.hasPrefix("jobs\t") }, r.stdout)
    }
}

/// A shell the completion tests need is not installed: a failure, not a skip.
private struct MissingShell: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path) is not installed (scripts/setup installs bash, zsh and fish)" }
}
