import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob sweep`: find new footage under the sweep's roots and run it as a job (for cron).
struct SweepCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Find new footage under the sweep's roots and run it as a job (for cron).",
        discussion: """
        A definition with "rescan": {"days": N} also rescans the sweep's jobs of the last N days \
        (without decoding) whenever the watchlist changed since the sweep last searched: a suspect \
        enrolled today is checked against the last N days of footage. Exit 75 when another run of \
        the same sweep holds its lock (cron simply tries again later).
        """)

    @OptionGroup var db: JobDatabaseOptions
    @OptionGroup var logging: LoggingOptions
    @Argument(help: "The sweep definition (JSON; see jobs/nightly.json).") var definition: String
    @Flag(help: "No progress output.") var quiet = false
    @Option(help: "Worker threads.") var workers: Int?

    func run() async throws {
        try await mapErrors {
            let sweep = try SweepValidator.load(path: definition)
            InterruptNotice.install("The next sweep resumes the interrupted job where it stopped.")
            let base = URL(fileURLWithPath: definition).standardizedFileURL.deletingLastPathComponent()
            let locator = db.locator(fallback: sweep.database)
            let engine = try DefaultFaceEngine.provider()
            let environment = WorkerEnvironment(connect: { try locator.connect() }, engine: engine, logger: Observability.jobLogger)
            let outcome = try SweepRunner(environment: environment)
                .run(sweep, base: base, options: RunOptions(workers: workers, progress: ProgressBoard.factory(quiet: quiet)))
            if let rescan = outcome.rescan {
                let r = rescan.rescan
                print("watchlist \"\(sweep.watchlist)\" changed since the last sweep: rescan R\(r.id) of job(s) "
                      + "\(r.jobIDs.map(String.init).joined(separator: ", ")): \(r.status), \(rescan.hits) hits; reports:")
                for file in rescan.reportFiles { print(file.path) }
            }
            guard let result = outcome.run else {
                if !quiet { print("sweep \"\(sweep.name)\": no new or changed footage (\(outcome.plan.changes.count) files checked)") }
                if let rescan = outcome.rescan, rescan.exitStatus != .success { throw ExitCode(rescan.exitStatus.rawValue) }
                return
            }
            JobSummary.print(result, quiet: quiet)
            if result.exitStatus != .success { throw ExitCode(result.exitStatus.rawValue) }
            if let rescan = outcome.rescan, rescan.exitStatus != .success { throw ExitCode(rescan.exitStatus.rawValue) }
        }
    }
}
