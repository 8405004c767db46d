import Common
import Foundation
import Logging
import Search
import Store
import Watchlist

/// How `facejob run` runs a job.
public struct RunOptions: Sendable {
    /// Rerun a finished job from scratch (and restart an unfinished one).
    public var force: Bool
    /// Worker threads; nil: the manifest's `workers`, else one per core.
    public var workers: Int?
    /// Where progress goes, made for the run's number of inputs (nil: nowhere).
    public var progress: (@Sendable (_ inputs: Int) -> InputProgressReporting)?

    /// Creates options.
    public init(force: Bool = false, workers: Int? = nil, progress: (@Sendable (_ inputs: Int) -> InputProgressReporting)? = nil) {
        self.force = force
        self.workers = workers
        self.progress = progress
    }
}

/// What a run ended with.
public struct RunResult: Sendable {
    /// The job.
    public var job: JobRecord
    /// True when the job had finished before and nothing was run.
    public var alreadyFinished: Bool
    /// The job's inputs at the end.
    public var inputs: [JobInputRecord]
    /// Report files.
    public var reportFiles: [URL]
    /// What bringing the ANN index up to date did before the search (nil: exact search, or nothing run).
    public var indexBuild: IndexBuildOutcome? = nil
    /// True when the run stopped on request (`WorkerEnvironment.stop`) with inputs still open: each
    /// stopped at a committed checkpoint with its lease released; no reports were written.
    public var stopped = false

    /// 0 done, 2 partial (some inputs failed or were damaged; reports written), 1 all failed.
    public var exitStatus: ExitStatus {
        switch job.status {
        case "done": return .success
        case "partial": return .partial
        default: return .failure
        }
    }
}

/// Runs a job manifest: creates or finds the job (name + manifest hash), brings the watchlist's
/// index up to date, processes the inputs with worker threads claiming them by lease, and writes
/// the reports from the database.
public struct JobRunner {
    /// Connections, engine, lease and batch settings.
    public var environment: WorkerEnvironment

    /// A runner.
    public init(environment: WorkerEnvironment) {
        self.environment = environment
    }

    /// Runs `manifest` to its end (or returns at once when it finished before, unless `force`), or
    /// until `environment.stop` is raised (`RunResult.stopped`).
    public func run(_ manifest: ValidatedManifest, options: RunOptions) throws -> RunResult {
        let connection = try environment.connect()
        let jobs = JobRepository(connection: connection)
        let watchlists = WatchlistRepository(connection: connection)
        // Resolve the watchlist first: a typo in its name must not leave a job behind.
        let scope = try JobScope.resolve(manifest: manifest.manifest, watchlists: watchlists, engine: environment.engine)
        if manifest.manifest.search.method == .ann {
            // Checked before the job exists: a build with another factory would be refused after it.
            let factory = manifest.manifest.search.indexFactory
            if let existing = try watchlists.segments(scope, withBytes: false).last?.requestedFactory, existing != factory {
                throw JobIndexError.factoryMismatch(watchlist: scope.watchlist.name, existing: existing, requested: factory)
            }
        }

        let files = try InputFile.fingerprint(manifest.inputs)
        let (job, created) = try jobs.openJob(for: manifest, files: files)
        var logger = environment.logger
        logger[metadataKey: "job_id"] = .stringConvertible(job.id)
        if !created, !options.force {
            // A finished job's reports, and a resuming job's checkpoints, refer to the footage it recorded.
            let recorded = try jobs.inputs(jobID: job.id)
            if let change = InputFile.footageChange(recorded: recorded, current: files, jobFinished: job.isFinished) {
                throw JobStoreError.footageChanged(job: job.id, name: job.name, finished: job.isFinished, change: change)
            }
            if job.isFinished {
                logger.info("job already finished; nothing to do", metadata: ["status": .string(job.status)])
                return RunResult(job: job, alreadyFinished: true, inputs: recorded, reportFiles: JobReports.expectedFiles(of: job))
            }
        }

        // Index freshness: the ANN index gains the faces enrolled since its last build.
        var indexBuild: IndexBuildOutcome?
        if manifest.manifest.search.method == .ann {
            indexBuild = try WatchlistIndexBuilder(repository: watchlists, scope: scope)
                .build(IndexBuildRequest(factory: manifest.manifest.search.indexFactory))
            if let b = indexBuild {
                logger.info("ANN index brought up to date", metadata: ["added": .stringConvertible(b.added),
                                                                      "segments": .stringConvertible(b.segments)])
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let modelsJSON = String(decoding: try encoder.encode(environment.engine.models), as: UTF8.self)
        let restart = options.force && !created
        try jobs.startRun(jobID: job.id, reset: restart, modelsJSON: modelsJSON,
                          replacingInputs: restart ? files.map(\.newJobInput) : nil)

        let inputCount = files.count
        let board = options.progress?(inputCount) ?? SilentProgress()
        let workers = max(1, min(options.workers ?? manifest.manifest.workers ?? AvailableCores.count,
                                 inputCount))
        logger.info(created ? "job started" : "job resumed", metadata: [
            "name": .string(job.name), "inputs": .stringConvertible(inputCount), "workers": .stringConvertible(workers),
            "restart": .stringConvertible(restart)])
        try jobs.expireDeadLeases(jobID: job.id, host: WorkerIdentity.host, isAlive: WorkerIdentity.isAlive)
        try InputWorkers.drain(jobID: job.id, count: workers, environment: environment, board: board, manifest: manifest.manifest)
        if try jobs.hasOpenInputs(jobID: job.id) {
            logger.info("waiting for inputs leased by other workers")
        }
        // Inputs leased by `facejob worker` processes elsewhere: wait for them (taking over any
        // whose worker dies, once its lease expires).
        while !environment.stop.isRequested, try jobs.hasOpenInputs(jobID: job.id) {
            Thread.sleep(forTimeInterval: 2)
            try jobs.expireDeadLeases(jobID: job.id, host: WorkerIdentity.host, isAlive: WorkerIdentity.isAlive)
            try InputWorkers.drain(jobID: job.id, count: 1, environment: environment, board: board, manifest: manifest.manifest)
        }
        board.close()
        if environment.stop.isRequested, try jobs.hasOpenInputs(jobID: job.id) {
            return RunResult(job: try jobs.job(id: job.id), alreadyFinished: false, inputs: try jobs.inputs(jobID: job.id),
                             reportFiles: [], indexBuild: indexBuild, stopped: true)
        }
        try jobs.finishJobIfComplete(jobID: job.id)
        let files2 = try JobCompletion.complete(jobID: job.id, jobs: jobs, manifest: manifest.manifest)
        let finished = try jobs.job(id: job.id)
        let inputs = try jobs.inputs(jobID: job.id)
        logger.log(level: finished.status == "done" ? .info : .warning, "job finished", metadata: [
            "status": .string(finished.status), "inputs": .stringConvertible(inputs.count),
            "hits": .stringConvertible(inputs.reduce(0) { $0 + $1.hits }),
            "reports": .array(files2.map { .string($0.path) })])
        return RunResult(job: finished, alreadyFinished: false, inputs: inputs, reportFiles: files2, indexBuild: indexBuild)
    }
}
