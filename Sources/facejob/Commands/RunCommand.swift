import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob run`: run a job manifest: decode, detect, embed, search, report. Resumable.
struct RunCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job manifest: decode, detect, embed, search, report. Resumable.",
        discussion: """
        The same job name with the same manifest (its relative paths resolved against its folder) is \
        the same job: a finished job is not run again (its reports are listed; --force runs it again \
        from scratch) and an interrupted one resumes from each input's last committed frame. Either \
        way the footage must be what the job recorded: a changed file, or a glob matching other files, \
        stops the run with exit 1 until --force. Exit: 0 done, 2 partial, 1 failed or footage \
        changed, 64 bad manifest, 69 database or engine unavailable.
        """)

    @OptionGroup var db: JobDatabaseOptions
    @OptionGroup var logging: LoggingOptions
    @Argument(help: "The job manifest (JSON; see docs/manifest.md).") var manifest: String
    @Flag(help: "Run the job again from scratch, on the footage as it is now, even if it finished.") var force = false
    @Flag(help: "No progress output.") var quiet = false
    @Option(help: "Worker threads (default: the manifest's workers, else one per core).") var workers: Int?
    @Option(help: .hidden) var batchSize = 8

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        try await mapErrors {
            // Validation writes nothing: a bad manifest never reaches the database.
            let validated = try ManifestValidator.load(path: manifest)
            InterruptNotice.install("Run the same command again to resume the job where it stopped.")
            let locator = db.locator(fallback: validated.manifest.database)
            let engine = try DefaultFaceEngine.provider()
            let environment = WorkerEnvironment(connect: { try locator.connect() }, engine: engine, batchSize: batchSize,
                                                logger: Observability.jobLogger)
            let result = try JobRunner(environment: environment)
                .run(validated, options: RunOptions(force: force, workers: workers,
                                                    progress: ProgressBoard.factory(quiet: quiet)))
            JobSummary.print(result, quiet: quiet)
            if result.exitStatus != .success { throw ExitCode(result.exitStatus.rawValue) }
        }
    }
}

/// The closing lines of `run` and `sweep`: job, status, per-input errors, report files.
enum JobSummary {
    static func print(_ result: RunResult, quiet: Bool) {
        let job = result.job
        if result.alreadyFinished {
            Swift.print("job \(job.id) \"\(job.name)\" already finished (\(job.status)); nothing to do (--force runs it again)")
        } else if !quiet {
            if let b = result.indexBuild {
                Swift.print("ANN index of the watchlist brought up to date: \(b.added) new face(s) added, \(b.segments) segment(s), \(b.factory)")
            }
            Swift.print("job \(job.id) \"\(job.name)\": \(job.status)")
        }
        for i in result.inputs where i.error != nil {
            Observability.tell("facejob: \(i.file.path): \(i.status): \(i.error ?? "")", message: "input \(i.status): \(i.error ?? "")",
                               level: .warning, metadata: ["job_id": .stringConvertible(job.id), "input": .stringConvertible(i.ordinal),
                                                           "file": .string(i.file.path), "status": .string(i.status)])
        }
        if !quiet || result.alreadyFinished {
            let hits = result.inputs.reduce(0) { $0 + $1.hits }
            Swift.print("\(result.inputs.count) inputs, \(hits) hits; reports:")
        }
        for file in result.reportFiles { Swift.print(file.path) }
    }
}
