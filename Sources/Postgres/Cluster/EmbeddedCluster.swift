import Common
import Foundation

/// The private PostgreSQL cluster facejob manages under `FacejobPaths.databaseCluster`: created
/// with `initdb` on first use (superuser `facejob`, trust authentication on its Unix socket only,
/// no TCP), started on demand with `pg_ctl`, left running until `facejob db stop`.
///
/// Folder layout: `data/` (PGDATA), `run/` (the socket), `server.log`, `tool.log` (output of the
/// last initdb/pg_ctl call) and `facejob.lock`, an `flock` that serialises starts and stops across
/// processes so that racing `facejob` invocations end up sharing one server.
public struct EmbeddedCluster: Sendable {
    /// The cluster's folder.
    public let root: String
    /// Name of the database facejob uses inside the cluster.
    public static let databaseName = "facejob"
    /// The cluster's superuser role.
    public static let superuser = "facejob"

    /// The cluster of the given facejob home.
    public init(paths: FacejobPaths = FacejobPaths()) { root = paths.databaseCluster }

    /// A cluster in an explicit folder.
    public init(root: String) { self.root = root }

    /// PGDATA.
    public var dataDirectory: String { root + "/data" }
    /// The folder holding the server's Unix socket.
    public var socketDirectory: String { root + "/run" }
    /// The server's log file.
    public var logFile: String { root + "/server.log" }
    var toolLog: String { root + "/tool.log" }
    var lockFile: String { root + "/facejob.lock" }

    /// The libpq URL of the facejob database over the cluster's socket.
    public var url: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        let host = socketDirectory.addingPercentEncoding(withAllowedCharacters: allowed) ?? socketDirectory
        return "postgresql://\(EmbeddedCluster.superuser)@/\(EmbeddedCluster.databaseName)?host=\(host)"
    }

    /// True once `initdb` has completed.
    public var isInitialized: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") }

    /// Creates the cluster if needed, starts the server if it is not running, and makes sure the
    /// facejob database exists. Safe to call concurrently from several processes.
    @discardableResult
    public func start() throws -> EmbeddedClusterStatus {
        let tools = try PostgresServerTools.locate()
        let account = try ServerAccount.current()
        try prepareFolder(account)
        return try withFileLock {
            if !isInitialized { try initialize(tools, account) }
            if try serverPID(tools, account) == nil {
                try runTool(tools, account, "pg_ctl",
                            ["-D", dataDirectory, "-l", logFile, "-w", "-t", "120", "start"], logTail: logFile)
            }
            try createDatabase()
            return try status(tools, account)
        }
    }

    /// Stops the server (fast shutdown: running transactions are rolled back). Returns false when
    /// it was not running.
    @discardableResult
    public func stop() throws -> Bool {
        guard isInitialized else { return false }
        let tools = try PostgresServerTools.locate()
        let account = try ServerAccount.current()
        return try withFileLock {
            guard try serverPID(tools, account) != nil else { return false }
            try runTool(tools, account, "pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "120", "stop"],
                        logTail: toolLog)
            return true
        }
    }

    /// Whether the cluster exists and its server runs (and with which process id).
    public func status() throws -> EmbeddedClusterStatus {
        guard isInitialized else { return makeStatus(pid: nil) }
        let tools = try PostgresServerTools.locate()
        let account = try ServerAccount.current()
        return try withFileLock { try status(tools, account) }
    }

    private func status(_ tools: PostgresServerTools, _ account: ServerAccount) throws -> EmbeddedClusterStatus {
        makeStatus(pid: try serverPID(tools, account))
    }

    private func makeStatus(pid: Int32?) -> EmbeddedClusterStatus {
        EmbeddedClusterStatus(initialized: isInitialized, pid: pid, url: url,
                              dataDirectory: dataDirectory, logFile: logFile)
    }

    /// The postmaster's pid per `pg_ctl status` (exit 0 running, 3 stopped), nil when stopped.
    private func serverPID(_ tools: PostgresServerTools, _ account: ServerAccount) throws -> Int32? {
        let status = try run(tools, account, "pg_ctl", ["-D", dataDirectory, "status"])
        guard status == 0 else { return nil }
        let output = (try? String(contentsOfFile: toolLog, encoding: .utf8)) ?? ""
        guard let range = output.range(of: #"PID: (\d+)"#, options: .regularExpression) else { return 0 }
        return Int32(output[range].dropFirst(5))
    }

    private func initialize(_ tools: PostgresServerTools, _ account: ServerAccount) throws {
        let fm = FileManager.default
        // A half-made data folder from an interrupted initdb would make initdb refuse to run.
        if fm.fileExists(atPath: dataDirectory) { try? fm.removeItem(atPath: dataDirectory) }
        try runTool(tools, account, "initdb",
                    ["-D", dataDirectory, "-U", EmbeddedCluster.superuser, "--auth=trust", "-E", "UTF8",
                     "--locale=C.UTF-8"], logTail: toolLog)
        let settings = """

            # Written by facejob: Unix socket only, private to the server's account.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory.replacingOccurrences(of: "'", with: "''"))'
            unix_socket_permissions = 0700
            """
        let hba = """
            # Written by facejob: only local (Unix socket) connections, trusted; no TCP at all.
            local all all trust

            """
        do {
            let conf = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
            defer { try? conf.close() }
            try conf.seekToEnd()
            try conf.write(contentsOf: Data(settings.utf8))
            try hba.write(toFile: dataDirectory + "/pg_hba.conf", atomically: false, encoding: .utf8)
        } catch {
            throw EmbeddedClusterError.fileSystem("writing the server configuration: \(error)")
        }
    }

    private func createDatabase() throws {
        let admin = try PostgresConnection(url: url.replacingOccurrences(of: "/\(EmbeddedCluster.databaseName)?",
                                                                         with: "/postgres?"))
        let exists = try admin.execute("SELECT count(*) FROM pg_database WHERE datname = $1",
                                       [.text(EmbeddedCluster.databaseName)]).scalar(Int.self)
        if exists == 0 { try admin.executeScript("CREATE DATABASE \(EmbeddedCluster.databaseName)") }
    }

    /// Creates the cluster folder and lets the server account reach and own it.
    private func prepareFolder(_ account: ServerAccount) throws {
        let fm = FileManager.default
        let socketPath = socketDirectory + "/.s.PGSQL.5432"
        guard socketPath.utf8.count <= 107 else { throw EmbeddedClusterError.pathTooLong(socketPath) }
        do {
            // The server account must traverse the parents when it is not the invoking user.
            let parent = (root as NSString).deletingLastPathComponent
            if !fm.fileExists(atPath: parent) {
                try fm.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                       attributes: [.posixPermissions: account.user == nil ? 0o700 : 0o755])
            }
            for dir in [root, socketDirectory] where !fm.fileExists(atPath: dir) {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                       attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw EmbeddedClusterError.fileSystem("\(error)")
        }
        try account.own(root)
        try account.own(socketDirectory)
        if let user = account.user {
            let (tool, args) = account.command("/usr/bin/test", ["-w", root, "-a", "-x", root])
            if try ServerAccount.runQuietly(tool, args) != 0 {
                throw EmbeddedClusterError.unreachable(path: root, user: user)
            }
        }
    }

    /// Runs `body` holding an exclusive `flock` on the cluster's lock file.
    private func withFileLock<T>(_ body: () throws -> T) throws -> T {
        // O_CLOEXEC: a server started while we hold the lock must not inherit (and keep) it.
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EmbeddedClusterError.fileSystem("open \(lockFile): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw EmbeddedClusterError.fileSystem("flock \(lockFile): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Runs a server program as the server account; a non-zero status throws with the log's end.
    private func runTool(_ tools: PostgresServerTools, _ account: ServerAccount, _ tool: String,
                         _ args: [String], logTail: String) throws {
        let status = try run(tools, account, tool, args)
        guard status == 0 else {
            var log = (try? String(contentsOfFile: toolLog, encoding: .utf8)) ?? ""
            if logTail != toolLog, let server = try? String(contentsOfFile: logTail, encoding: .utf8) {
                log += "\n--- \(logTail):\n" + server.split(separator: "\n").suffix(15).joined(separator: "\n")
            }
            throw EmbeddedClusterError.toolFailed(tool: tool, status: status, log: log)
        }
    }

    /// Runs a server program in the cluster folder with its output in `tool.log` (a file, not a
    /// pipe: the server that pg_ctl starts outlives us and must not hold our pipes open).
    private func run(_ tools: PostgresServerTools, _ account: ServerAccount, _ tool: String,
                     _ args: [String]) throws -> Int32 {
        // `env -C` sets the working folder: root's own may be unreadable to the server account.
        let (executable, arguments) = account.command("/usr/bin/env", ["-C", root, tools.path(tool)] + args)
        return try ChildProcess.run([executable] + arguments, outputPath: toolLog)
    }
}

/// What `facejob db status` reports about the embedded cluster.
public struct EmbeddedClusterStatus: Sendable, Equatable {
    /// True once the cluster has been created.
    public let initialized: Bool
    /// The server's process id while it runs.
    public let pid: Int32?
    /// libpq URL of the facejob database.
    public let url: String
    /// PGDATA.
    public let dataDirectory: String
    /// The server's log file.
    public let logFile: String

    /// True while the server runs.
    public var running: Bool { pid != nil }
}
