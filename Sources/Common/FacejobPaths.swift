import Foundation

/// Where facejob keeps its own files: the embedded database cluster and the converted models.
public struct FacejobPaths: Sendable {
    /// Root folder: `$FACEJOB_HOME`, else `/var/lib/facejob` for root, else `$XDG_DATA_HOME/facejob`,
    /// else `~/.local/share/facejob`.
    public let home: String

    /// Resolves the root from the environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["FACEJOB_HOME"], !explicit.isEmpty {
            home = explicit
        } else if geteuid() == 0 {
            // The embedded PostgreSQL server cannot run as root; it runs as an unprivileged user,
            // which cannot reach anything under root's private home (0700).
            home = "/var/lib/facejob"
        } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            home = xdg + "/facejob"
        } else {
            let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            home = user + "/.local/share/facejob"
        }
    }

    /// Folder of the embedded PostgreSQL cluster.
    public var databaseCluster: String { home + "/pg" }
    /// Folder holding converted model files (`*.fjm`), unless `FACEJOB_MODELS` overrides it.
    public var models: String {
        if let dir = ProcessInfo.processInfo.environment["FACEJOB_MODELS"], !dir.isEmpty { return dir }
        return home + "/models"
    }
}
