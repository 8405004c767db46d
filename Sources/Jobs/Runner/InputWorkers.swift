import Common
import Foundation
import Logging
import Postgres
import Search
import Store
import Watchlist

/// Where workers get their connections, engines and settings.
public struct WorkerEnvironment: Sendable {
    /// Opens a new migrated connection (one per worker thread).
    public var connect: @Sendable () throws -> PostgresConnection
    /// The face engine.
    public var engine: FaceEngineProvider
    /// Seconds a lease lasts without a commit or heartbeat.
    public var leaseSeconds: Double
    /// Sampled frames per engine call and per commit.
    public var batchSize: Int
    /// Raised to stop the workers at their next checkpoint, leases released (never, unless raised).
    public var stop: StopRequest
    /// Where the runner and its workers log; each worker adds `worker_id`, each input `job_id`,
    /// `input` (its ordinal) and `file` to this logger's metadata.
    public var logger: Logger
    /// What the pipeline measures.
    public var metrics: JobMetrics

    /// The logger of an environment nobody gave one: silent, so a library caller (and the tests)
    /// get no log lines they did not ask for. The executable passes its own.
    public static let silentLogger = Logger(label: "facejob.jobs", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates an environment.
    public init(connect: @escaping @Sendable () throws -> PostgresConnection, engine: FaceEngineProvider,
                leaseSeconds: Double = WorkerEnvironment.defaultLeaseSeconds, batchSize: Int = 8,
                stop: StopRequest = StopRequest(),
                logger: Logger = WorkerEnvironment.silentLogger, metrics: JobMetrics = JobMetrics()) {
        self.connect = connect
        self.engine = engine
        self.leaseSeconds = leaseSeconds
        self.batchSize = batchSize
        self.stop = stop
        self.logger = logger
        self.metrics = metrics
    }
}

extension WorkerEnvironment {
    /// 120 s, or `$FACEJOB_LEASE_SECONDS` (tests shorten it to watch leases expire). The heartbeat
    /// renews a lease every third of its length, so it bounds how long a dead worker's input waits.
    public static var defaultLeaseSeconds: Double {
        if let text = ProcessInfo.processInfo.environment["FACEJOB_LEASE_SECONDS"], let s = Double(text), s > 0, s.isFinite {
            return s
        }
        return 120
    }
}

/// Worker threads that claim inputs by lease and process them until none is left to claim. Each
/// thread has its own connection and its own engine; inputs are processed in parallel, one per
/// thread. `facejob run` uses them for its own job, `facejob worker` for any running job. Once
/// `environment.stop` is raised they stop at their next checkpoint and release their leases.
public enum InputWorkers {
    /// Runs `count` workers on `jobID` (nil: every running job) until nothing is claimable or a stop is requested.
    /// Returns how many inputs they closed; throws the first job-level error (database, engine).
    /// With `writeReports` (`facejob worker`), the worker that closes a job's last input completes
    /// it (sightings and reports). `manifest` is `jobID`'s, when the caller has it already.
    @discardableResult
    public static func drain(jobID: Int64?, count: Int, environment: WorkerEnvironment, board: InputProgressReporting?,
                             firstWorker: Int = 0, writeReports: Bool = false, manifest: Manifest? = nil) throws -> Int {
        let tally = Tally()
        let group = DispatchGroup()
        // Inputs side by side share the cores: each analyses its frames on its part of them.
        let cores = AvailableCores.count
        let analysisThreads = max(1, (cores + max(1, count) - 1) / max(1, count))
        for n in 0..<max(1, count) {
            group.enter()
            CoreThreads.start(name: "facejob.input.\(n)") {
                defer { group.leave() }
                do {
                    let done = try work(jobID: jobID, manifest: manifest, owner: WorkerIdentity.owner(firstWorker + n),
                                        environment: environment, board: board, writeReports: writeReports,
                                        analysisThreads: analysisThreads, shouldStop: { tally.failed })
                    tally.add(done)
                } catch {
                    tally.fail(error)
                }
            }
        }
        group.wait()
        return try tally.result()
    }

    /// One worker's loop on the calling thread.
    static func work(jobID: Int64?, manifest: Manifest?, owner: String, environment: WorkerEnvironment, board: InputProgressReporting?,
                     writeReports: Bool, analysisThreads: Int, shouldStop: () -> Bool) throws -> Int {
        let connection = try environment.connect()
        let jobs = JobRepository(connection: connection)
        let watchlists = WatchlistRepository(connection: connection)
        let metrics = environment.metrics
        var workerLogger = environment.logger
        workerLogger[metadataKey: "worker_id"] = .string(owner)
        var analyzers: [String: FaceAnalyzing] = [:]
        var contexts: [Int64: PipelineContext] = [:]
        var closed = 0
        while !shouldStop(), !environment.stop.isRequested,
              let input = try jobs.claimInput(jobID: jobID, owner: owner, leaseSeconds: environment.leaseSeconds) {
            var logger = workerLogger
            logger[metadataKey: "job_id"] = .stringConvertible(input.jobID)
            logger[metadataKey: "input"] = .stringConvertible(input.ordinal)
            logger[metadataKey: "file"] = .string(input.file.path)
            logger.info("input claimed", metadata: input.checkpointMs.map { ["resumed_from_ms": .stringConvertible($0)] })
            let context: PipelineContext
            if let known = contexts[input.jobID] {
                context = known
            } else {
                context = try makeContext(jobID: input.jobID, manifest: input.jobID == jobID ? manifest : nil, jobs: jobs,
                                          watchlists: watchlists, environment: environment)
                contexts[input.jobID] = context
            }
            let detectorKey = "\(context.manifest.detector)"
            let analyzer: FaceAnalyzing
            if let known = analyzers[detectorKey] {
                analyzer = known
            } else {
                analyzer = try environment.engine.makeAnalyzer(detector: context.manifest.detector)
                analyzers[detectorKey] = analyzer
            }
            let pipeline = InputPipeline(context: context, jobs: jobs, watchlists: watchlists, analyzer: analyzer, owner: owner,
                                         heartbeatConnect: environment.connect, analysisThreads: analysisThreads,
                                         stop: environment.stop, logger: logger, metrics: metrics, progress: { board?.update($0) })
            let name = (input.file.path as NSString).lastPathComponent
            metrics.inputsRunning.increment()
            let outcome = Result { try pipeline.process(input) }
            metrics.inputsRunning.decrement()
            switch try outcome.get() {
            case .finished(let status, let error):
                closed += 1
                metrics.inputFinished(status)
                board?.finish(name, status: status.rawValue, error: error)
            case .leaseLost:
                metrics.leaseLosses.increment()
                logger.warning("input given up: another worker took it over after our lease expired")
                board?.note("\(name): another worker took this input over after our lease expired")
            case .stopped:
                board?.note("\(name): stopped after its last committed batch; lease released, the next worker resumes it")
            }
            if try jobs.finishJobIfComplete(jobID: input.jobID) != nil, writeReports {
                let files = try JobCompletion.complete(jobID: input.jobID, jobs: jobs, manifest: context.manifest)
                let status = try jobs.job(id: input.jobID).status
                var jobLogger = workerLogger
                jobLogger[metadataKey: "job_id"] = .stringConvertible(input.jobID)
                jobLogger.info("job completed: sightings stored, reports written",
                               metadata: ["status": .string(status), "reports": .array(files.map { .string($0.path) })])
                for file in files {
                    board?.note("report: \(file.path)")
                }
            }
        }
        return closed
    }

    /// The settings, scope and report folder of a job, for workers that picked one of its inputs.
    static func makeContext(jobID: Int64, manifest known: Manifest?, jobs: JobRepository, watchlists: WatchlistRepository,
                            environment: WorkerEnvironment) throws -> PipelineContext {
        let job = try jobs.job(id: jobID)
        let manifest = try known ?? job.decodedManifest()
        let scope = try JobScope.resolve(manifest: manifest, watchlists: watchlists, engine: environment.engine)
        let started = DispatchTime.now().uptimeNanoseconds
        let method: SearchMethod = manifest.search.method == .ann ? .ann : .exact
        try WatchlistSearcher.shared.preload(scope: scope, method: method, in: watchlists)
        environment.logger.debug("watchlist loaded for search", metadata: [
            "job_id": .stringConvertible(jobID), "method": .string(method.rawValue),
            "seconds": .stringConvertible(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)])
        return PipelineContext(jobID: jobID, manifest: manifest, reportDirectory: URL(fileURLWithPath: job.reportDirectory),
                               scope: scope, batchSize: environment.batchSize, leaseSeconds: environment.leaseSeconds)
    }
}

/// The watchlist scope a manifest searches: its watchlist under the engine's embedding model.
public enum JobScope {
    /// Resolves the scope; throws when the watchlist does not exist.
    public static func resolve(manifest: Manifest, watchlists: WatchlistRepository,
                               engine: FaceEngineProvider) throws -> WatchlistScope {
        let watchlist = try watchlists.watchlist(named: manifest.watchlist)
        return WatchlistScope(watchlist: watchlist, model: try watchlists.model(for: engine.embeddingModel))
    }
}

/// Inputs closed and the first error, shared by the worker threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = 0
    private var firstError: Error?

    var failed: Bool { lock.lock(); defer { lock.unlock() }; return firstError != nil }
    func add(_ n: Int) { lock.lock(); closed += n; lock.unlock() }
    func fail(_ error: Error) { lock.lock(); if firstError == nil { firstError = error }; lock.unlock() }
    func result() throws -> Int {
        lock.lock(); defer { lock.unlock() }
        if let firstError { throw firstError }
        return closed
    }
}
