import Common
import Foundation

/// The PostgreSQL server programs (`initdb`, `pg_ctl`) facejob runs for its embedded cluster,
/// found in Debian's `/usr/lib/postgresql/<version>/bin` (newest first) or on `PATH`.
public struct PostgresServerTools: Sendable {
    /// Folder holding `initdb` and `pg_ctl`.
    public let binDirectory: String

    /// Finds the programs, or throws `EmbeddedClusterError.serverMissing` with the install command.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresServerTools {
        let fm = FileManager.default
        for version in ["17", "16", "15"] {
            let dir = "/usr/lib/postgresql/\(version)/bin"
            if fm.isExecutableFile(atPath: dir + "/pg_ctl"), fm.isExecutableFile(atPath: dir + "/initdb") {
                return PostgresServerTools(binDirectory: dir)
            }
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where fm.isExecutableFile(atPath: dir + "/pg_ctl") && fm.isExecutableFile(atPath: dir + "/initdb") {
            return PostgresServerTools(binDirectory: dir)
        }
        throw EmbeddedClusterError.serverMissing
    }

    /// Path of one program in the folder.
    public func path(_ tool: String) -> String { binDirectory + "/" + tool }
}

/// Why the embedded cluster could not be managed.
public enum EmbeddedClusterError: UserFacingError, Equatable {
    /// `initdb`/`pg_ctl` are not installed.
    case serverMissing
    /// A server program failed; carries its name, exit status and the end of its log.
    case toolFailed(tool: String, status: Int32, log: String)
    /// The unprivileged server account cannot reach the cluster folder.
    case unreachable(path: String, user: String)
    /// The socket path would exceed the operating system's limit for Unix sockets.
    case pathTooLong(String)
    /// A file-system operation on the cluster folder failed.
    case fileSystem(String)

    public var description: String {
        switch self {
        case .serverMissing:
            let sudo = geteuid() == 0 ? "" : "sudo "
            return "the PostgreSQL server programs (initdb, pg_ctl) are not installed; install them with: "
                + "\(sudo)apt-get install -y postgresql-15 (or run scripts/setup), "
                + "or use another server with --database / FACEJOB_DATABASE_URL"
        case .toolFailed(let tool, let status, let log):
            return "\(tool) failed with status \(status):\n\(log)"
        case .unreachable(let path, let user):
            return "PostgreSQL refuses to run as root, so facejob runs the embedded server as user \(user), "
                + "but \(user) cannot reach \(path) (a parent folder such as /root is private); "
                + "set FACEJOB_HOME to a folder outside it, e.g. FACEJOB_HOME=/var/lib/facejob"
        case .pathTooLong(let path):
            return "the database socket path \(path) is longer than Unix sockets allow (107 bytes); "
                + "set FACEJOB_HOME to a shorter folder"
        case .fileSystem(let why):
            return "cannot prepare the embedded database folder: \(why)"
        }
    }

    public var exitStatus: ExitStatus { self == .serverMissing || isUnreachable ? .unavailable : .failure }

    private var isUnreachable: Bool { if case .unreachable = self { return true } else { return false } }
}
