import Foundation

/// Names lease owners `host:pid:n`, so a process can tell its own host's dead workers apart.
public enum WorkerIdentity {
    /// This machine's host name.
    public static var host: String { ProcessInfo.processInfo.hostName.replacingOccurrences(of: ":", with: "_") }

    /// The owner name of worker thread `n` of this process.
    public static func owner(_ n: Int) -> String { "\(host):\(getpid()):\(n)" }

    /// Whether a process with this pid exists on this host.
    public static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// Whether `owner` names a worker of a process on this host that no longer exists (interrupted
    /// or killed); nil when that cannot be told from here (another host, or not an owner name).
    public static func hasStopped(_ owner: String) -> Bool? {
        let parts = owner.split(separator: ":")
        guard parts.count == 3, String(parts[0]) == host, let pid = Int32(parts[1]) else { return nil }
        return !isAlive(pid)
    }
}
