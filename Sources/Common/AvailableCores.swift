import Foundation

/// The cores this process may use: the CPUs its affinity mask allows (`taskset`, `docker --cpuset-cpus`,
/// Kubernetes' static CPU manager), capped by its cgroup's CPU quota (`docker --cpus`, a Kubernetes
/// limit), at least 1. Foundation's `activeProcessorCount` counts every CPU of the machine, so a job
/// pinned to 4 of 64 cores started 64 analysis threads that took turns on 4.
public enum AvailableCores {
    /// The machine's CPUs, the affinity mask's and the cgroup quota, read once per process.
    private static let limits = (machine: ProcessInfo.processInfo.activeProcessorCount, affinity: affinityCount(),
                                 quota: cgroupQuota())

    /// Counted once per process.
    public static let count = resolve(machine: limits.machine, affinity: limits.affinity, quota: limits.quota)

    /// Where `count` comes from, for `facejob doctor`.
    public static var description: String {
        var narrowed: [String] = []
        if let a = limits.affinity, a < limits.machine { narrowed.append("affinity allows \(a)") }
        if let q = limits.quota { narrowed.append("cgroup quota \(String(format: "%.2f", q)) CPUs") }
        return "\(count) of the machine's \(limits.machine)" + (narrowed.isEmpty ? "" : " (\(narrowed.joined(separator: ", ")))")
    }

    /// The rule: the smallest of the machine's CPUs, the affinity mask's and the quota rounded up.
    static func resolve(machine: Int, affinity: Int?, quota: Double?) -> Int {
        var cores = max(1, machine)
        if let affinity, affinity > 0 { cores = min(cores, affinity) }
        if let quota, quota > 0 { cores = min(cores, Int(quota.rounded(.up))) }
        return max(1, cores)
    }

    /// CPUs in this process's affinity mask (`Cpus_allowed_list` of /proc/self/status); nil where
    /// it cannot be read.
    static func affinityCount(status: String? = nil) -> Int? {
        guard let text = status ?? (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        var count = 0
        for item in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
            let bounds = item.trimmingCharacters(in: .whitespaces).split(separator: "-").map { Int($0) }
            guard let first = bounds.first ?? nil, let last = bounds.last ?? nil, bounds.count <= 2, last >= first else { return nil }
            count += last - first + 1
        }
        return count > 0 ? count : nil
    }

    /// The CPU quota of this process's cgroup and its ancestors, in CPUs (the smallest); nil without one.
    static func cgroupQuota(root: String = "/sys/fs/cgroup", membership: String? = nil) -> Double? {
        guard let lines = membership ?? (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) else { return nil }
        var quotas: [Double] = []
        for line in lines.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty {
                // cgroup v2: cpu.max of the group and of every group above it.
                var path = String(parts[2])
                while true {
                    let file = root + (path == "/" ? "" : path) + "/cpu.max"
                    if let text = try? String(contentsOfFile: file, encoding: .utf8), let q = cpuMax(text) { quotas.append(q) }
                    if path == "/" || path.isEmpty { break }
                    path = (path as NSString).deletingLastPathComponent
                }
            } else if parts[1].split(separator: ",").contains("cpu") {
                // cgroup v1: the cpu controller's CFS quota (mounted as cpu or cpu,cpuacct).
                for mount in ["cpu", "cpu,cpuacct", "cpuacct,cpu"] {
                    let dir = root + "/" + mount
                    for group in [String(parts[2]), "/"] {
                        let base = dir + (group == "/" ? "" : group)
                        guard let q = try? String(contentsOfFile: base + "/cpu.cfs_quota_us", encoding: .utf8),
                              let p = try? String(contentsOfFile: base + "/cpu.cfs_period_us", encoding: .utf8),
                              let quota = cfsQuota(q, period: p) else { continue }
                        quotas.append(quota)
                    }
                }
            }
        }
        return quotas.min()
    }

    /// CPUs in a cgroup v2 `cpu.max` ("max 100000" is no limit, "150000 100000" is 1.5).
    static func cpuMax(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0 else {
            return nil
        }
        return quota / period
    }

    /// CPUs in a cgroup v1 CFS quota (-1 is no limit).
    static func cfsQuota(_ quota: String, period: String) -> Double? {
        guard let q = Double(quota.trimmingCharacters(in: .whitespacesAndNewlines)),
              let p = Double(period.trimmingCharacters(in: .whitespacesAndNewlines)), q > 0, p > 0 else { return nil }
        return q / p
    }
}
