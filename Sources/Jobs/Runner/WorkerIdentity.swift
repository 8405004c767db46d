import Foundation

/// Names lease owners `host:pid:n`, so a process can tell its own host's dead workers apart.
public enum WorkerIdentity {
    /// This machine's host name.
    public static var host: String { ProcessInfo.processInfo.hostName.replacingOccurrences(of: ":", with: "_") }

    /// The owner name of worker thread `n` of this process.
    public static func owner(_ n: Int) -> String { "\(host):\(getpid()):\(n)" }

    /// Whether a process with this pid exists on this host.
    public static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
}
