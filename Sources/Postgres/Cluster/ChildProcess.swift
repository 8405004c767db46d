import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with `posix_spawn` and `waitpid`. Foundation's `Process` is not
/// used here: its termination monitor can miss a child's exit when several threads start
/// processes at once (seen as a hang with a zombie child), and racing starts are exactly what the
/// embedded cluster must survive.
enum ChildProcess {
    /// Runs `argv` (absolute program path first) with stdin from /dev/null and stdout and stderr
    /// appended to `outputPath`; returns the exit status (128 + signal when killed).
    static func run(_ argv: [String], outputPath: String) throws -> Int32 {
        let out = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw EmbeddedClusterError.fileSystem("open \(outputPath): \(errnoText())") }
        defer { close(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out, 1)
        posix_spawn_file_actions_adddup2(&actions, out, 2)

        let cArgs = argv.map { strdup($0) }
        defer { for arg in cArgs { free(arg) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, nil, cArgs + [nil], environ)
        guard status == 0 else {
            throw EmbeddedClusterError.fileSystem("cannot run \(argv[0]): \(String(cString: strerror(status)))")
        }
        var wstatus: Int32 = 0
        while waitpid(pid, &wstatus, 0) < 0 {
            guard errno == EINTR else { throw EmbeddedClusterError.fileSystem("waitpid: \(errnoText())") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import; the layout is Linux's.
        let signal = wstatus & 0x7f
        return signal == 0 ? (wstatus >> 8) & 0xff : 128 + signal
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
