import Foundation
import TestSupport
import XCTest
@testable import Common

/// The cores facejob uses: the machine's, narrowed by the affinity mask and the cgroup quota.
final class AvailableCoresTests: XCTestCase {
    func testTheSmallestLimitWins() {
        XCTAssertEqual(AvailableCores.resolve(machine: 64, affinity: nil, quota: nil), 64)
        XCTAssertEqual(AvailableCores.resolve(machine: 64, affinity: 4, quota: nil), 4)
        XCTAssertEqual(AvailableCores.resolve(machine: 64, affinity: 4, quota: 2.5), 3, "a fractional quota rounds up")
        XCTAssertEqual(AvailableCores.resolve(machine: 8, affinity: 16, quota: 0.2), 1)
        XCTAssertEqual(AvailableCores.resolve(machine: 0, affinity: 0, quota: 0), 1, "never fewer than one")
    }

    func testQuotaFiles() {
        XCTAssertNil(AvailableCores.cpuMax("max 100000\n"), "no limit")
        XCTAssertEqual(AvailableCores.cpuMax("150000 100000\n"), 1.5)
        XCTAssertNil(AvailableCores.cpuMax("garbage"))
        XCTAssertNil(AvailableCores.cfsQuota("-1\n", period: "100000\n"), "no limit")
        XCTAssertEqual(AvailableCores.cfsQuota("400000\n", period: "100000\n"), 4)
    }

    func testAffinityList() {
        XCTAssertEqual(AvailableCores.affinityCount(status: "Name:\tx\nCpus_allowed_list:\t0-3,8,10-11\n"), 7)
        XCTAssertEqual(AvailableCores.affinityCount(status: "Cpus_allowed_list:\t5\n"), 1)
        XCTAssertNil(AvailableCores.affinityCount(status: "Cpus_allowed_list:\t3-1\n"))
        XCTAssertNil(AvailableCores.affinityCount(status: "Name:\tx\n"))
    }

    /// cgroup v2: the smallest quota of the group and its ancestors; v1: the cpu controller's.
    func testCgroupHierarchy() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cores-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("cpu.max", "max 100000\n")
        try write("jobs/cpu.max", "300000 100000\n")
        try write("jobs/night/cpu.max", "max 100000\n")
        XCTAssertEqual(AvailableCores.cgroupQuota(root: root.path, membership: "0::/jobs/night\n"), 3, "the parent's limit applies")
        XCTAssertNil(AvailableCores.cgroupQuota(root: root.path, membership: "0::/\n"))
        try write("cpu,cpuacct/box/cpu.cfs_quota_us", "250000\n")
        try write("cpu,cpuacct/box/cpu.cfs_period_us", "100000\n")
        XCTAssertEqual(AvailableCores.cgroupQuota(root: root.path, membership: "5:cpu,cpuacct:/box\n1:name=systemd:/\n"), 2.5)
    }

    /// The real binary pinned to one CPU with taskset reports, and so uses, one core.
    func testPinnedBinaryUsesThePinnedCores() throws {
        let binary = try FacejobBinary.locate()
        let taskset = URL(fileURLWithPath: "/usr/bin/taskset")
        guard FileManager.default.isExecutableFile(atPath: taskset.path) else {
            throw XCTSkip("!!! /usr/bin/taskset (util-linux) is missing")
        }
        let pinned = try ChildProcess.run(taskset, ["-c", "0", binary.url.path, "doctor", "--json",
                                                         "--database", "postgresql://nobody@/none?host=/nonexistent"])
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(pinned.stdout.utf8)) as? [String: Any], pinned.stderr)
        let checks = try XCTUnwrap(report["checks"] as? [[String: Any]])
        let cores = try XCTUnwrap(checks.first { $0["name"] as? String == "cores" }?["detail"] as? String)
        XCTAssertTrue(cores.hasPrefix("1 of the machine's "), cores)
        if ProcessInfo.processInfo.activeProcessorCount > 1 { XCTAssertTrue(cores.contains("affinity allows 1"), cores) }
    }
}
