import Foundation

/// The operating-system account the embedded server runs as. PostgreSQL refuses to run as root,
/// so when facejob runs as root the server runs as the unprivileged `postgres` system user
/// (Debian's postgresql package creates it; facejob creates it when missing); otherwise the server
/// runs as the invoking user.
struct ServerAccount {
    /// User name the server runs as, nil when it is the invoking user.
    let user: String?
    let uid: uid_t
    let gid: gid_t

    /// The account for this process: the invoking user, or `postgres` when root.
    static func current() throws -> ServerAccount {
        guard geteuid() == 0 else { return ServerAccount(user: nil, uid: geteuid(), gid: getegid()) }
        let name = "postgres"
        if getpwnam(name) == nil {
            let status = try ServerAccount.runQuietly("/usr/sbin/useradd",
                ["--system", "--user-group", "--home-dir", "/var/lib/postgresql", "--no-create-home",
                 "--shell", "/usr/sbin/nologin", "--comment", "PostgreSQL administrator", name])
            // Another process may have created it concurrently; only a still-missing user is fatal.
            if status != 0, getpwnam(name) == nil {
                throw EmbeddedClusterError.fileSystem("cannot create the system user \(name) (useradd status \(status))")
            }
        }
        guard let entry = getpwnam(name) else {
            throw EmbeddedClusterError.fileSystem("system user \(name) not found")
        }
        return ServerAccount(user: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// The command line running `tool args` as this account.
    func command(_ tool: String, _ args: [String]) -> (String, [String]) {
        guard let user else { return (tool, args) }
        return (ServerAccount.runuser, ["-u", user, "--", tool] + args)
    }

    /// Gives the account ownership of `path` (no-op when it is the invoking user).
    func own(_ path: String) throws {
        guard user != nil else { return }
        guard chown(path, uid, gid) == 0 else {
            throw EmbeddedClusterError.fileSystem("chown \(path): \(String(cString: strerror(errno)))")
        }
    }

    static var runuser: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/runuser"
    }

    /// Runs a program with its output discarded; returns the exit status.
    static func runQuietly(_ tool: String, _ args: [String]) throws -> Int32 {
        try ChildProcess.run([tool] + args, outputPath: "/dev/null")
    }
}
