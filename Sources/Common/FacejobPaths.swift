import Foundation

/// Where facejob keeps its own files: the embedded database cluster and the converted models.
public struct FacejobPaths: Sendable {
    /// Root folder: `$FACEJOB_HOME`, else `$XDG_DATA_HOME/facejob`, else `~/.local/share/facejob`.
    public let home: String

    /// Folder of the embedded PostgreSQL cluster: `$FACEJOB_HOME/pg`, except for root without
    /// `FACEJOB_HOME`: `/var/lib/facejob/pg`. The server cannot run as root and runs as an
    /// unprivileged user, which cannot enter root's private home (0700).
    public let databaseCluster: String

    /// Resolves the root from the environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let explicitHome = environment["FACEJOB_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        if let explicit = explicitHome {
            home = explicit
        } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            home = xdg + "/facejob"
        } else {
            let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            home = user + "/.local/share/facejob"
        }
        databaseCluster = explicitHome == nil && geteuid() == 0 ? "/var/lib/facejob/pg" : home + "/pg"
    }

    /// Folder holding converted model files (`*.fjm`), unless `FACEJOB_MODELS` overrides it.
    public var models: String {
        if let dir = ProcessInfo.processInfo.environment["FACEJOB_MODELS"], !dir.isEmpty { return dir }
        return home + "/models"
    }
}
