import ArgumentParser
import Common
import FaceEngine
import Foundation

/// The `facejob` command: forensic face search in recorded video.
@main
struct Facejob: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facejob",
        abstract: "Forensic face search in recorded video against a PostgreSQL watchlist.",
        discussion: """
        Enroll people into a watchlist (register), describe footage in a JSON manifest, and run it \
        (run). Reports (CSV, JSON, HTML) list every hit with its exact timestamp and evidence hashes. \
        Jobs keep every face they saw: rescan searches them against the watchlist as it is now, find \
        looks for one person in all of them, unknowns groups the faces nobody enrolled into persons \
        (watchlist promote enrols one), jobs purge deletes them (audited). Analysts confirm or reject \
        hits (review, audited), and export packs a job into a case archive that verify-export checks.

        Database: the embedded cluster under $FACEJOB_HOME unless --database or \
        FACEJOB_DATABASE_URL names another PostgreSQL server.

        Operating it: run, sweep, worker and serve log JSON lines with --log-format json; serve and \
        worker --metrics-port N expose Prometheus metrics; listing commands take --json; worker and \
        serve stop gracefully on SIGTERM; --generate-completion-script bash|zsh|fish prints a \
        completion script (docs/operations.md).

        Exit codes: 0 done, 1 failed, 2 partial (some inputs failed; reports written), \
        64 bad manifest or usage, 69 dependency unavailable, 75 locked (try later).
        """,
        version: FacejobVersion.current,
        subcommands: [
            RunCommand.self, SweepCommand.self, WorkerCommand.self, RescanCommand.self, FindCommand.self, UnknownsCommand.self, ReviewCommand.self, ExportCommand.self, VerifyExportCommand.self,
            RegisterCommand.self, WatchlistCommand.self, IndexCommand.self,
            SearchCommand.self, VerifyCommand.self, DetectCommand.self, EmbedCommand.self,
            ProbeCommand.self, ReportCommand.self, JobsCommand.self, ServeCommand.self,
            DBCommand.self, DoctorCommand.self,
        ]
    )

    /// Runs the command line, first re-executing once with the OpenBLAS kernel this CPU supports
    /// when the library's own detection fell short (`BLASKernel`): 3–4x faster sgemm. Logging
    /// and metrics are bootstrapped once, after parsing (the command's `--log-format` and
    /// `--log-level`, else the environment) and before the command runs.
    static func main() async {
        if let core = BLASKernel.reexecutionCoreType {
            setenv("OPENBLAS_CORETYPE", core, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Only reached when exec failed; run on with the kernels already loaded.
        }
        do {
            var command = try await asyncParseAsRoot(nil)
            Observability.bootstrap(try LoggingSettings.resolve((command as? LoggingCommand)?.logging))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
