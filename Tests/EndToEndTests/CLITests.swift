import Foundation
import TestSupport
import XCTest

final class CLITests: XCTestCase {
    func testHelpListsEverySubcommand() throws {
        let result = try FacejobBinary.locate().run(["--help"])
        XCTAssertEqual(result.status, 0)
        for command in ["run", "sweep", "register", "watchlist", "index", "search", "verify", "detect",
                        "embed", "probe", "report", "jobs", "serve", "db", "doctor", "rescan", "find", "worker", "unknowns", "review", "export", "verify-export"] {
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

    func testBinaryRunsTheStrongestOpenBLASKernelsTheCPUSupports() throws {
        // OpenBLAS 0.3.21 misdetects some CPUs and falls back to generic kernels; facejob re-executes
        // itself with OPENBLAS_CORETYPE. Run without the variable to see the binary's own choice.
        let binary = try FacejobBinary.locate()
        let result = try FacejobBinary(url: URL(fileURLWithPath: "/usr/bin/env"))
            .run(["-u", "OPENBLAS_CORETYPE", binary.url.path, "doctor", "--blas-kernel"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let kernel = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").map(String.init) ?? [])
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) {
            XCTAssertTrue(["skylakex", "cooperlake", "sapphirerapids"].contains(kernel), "AVX-512 CPU runs \(kernel)")
        } else if flags.isSuperset(of: ["avx2", "fma"]) {
            XCTAssertNotEqual(kernel, "prescott", "AVX2 CPU runs generic kernels")
        }
        // The user's choice wins.
        let forced = try binary.run(["doctor", "--blas-kernel"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        XCTAssertEqual(forced.stdout.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), "prescott")
    }
}
