import ArgumentParser
import Common
import Foundation
import Jobs
import Logging
import ServiceLifecycle
import Store

/// `facejob worker`: claim inputs of running jobs by lease and process them.
struct WorkerCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Process inputs of running jobs from a shared database, claimed by lease.",
        discussion: """
        Start `facejob run` (or `facejob sweep`) on one machine and `facejob worker` on others sharing \
        its database: each worker claims inputs one at a time (FOR UPDATE SKIP LOCKED), keeps its \
        lease alive with a heartbeat while it works on it, and an input whose worker died is resumed from its checkpoint by \
        another worker once the lease expires. SIGTERM or SIGINT stops it gracefully: each input in \
        hand commits its current batch and is released (any worker resumes it at once), then exit 0.
        """)

    @OptionGroup var db: JobDatabaseOptions
    @OptionGroup var logging: LoggingOptions
    @Option(help: "Serve Prometheus metrics on this TCP port at GET /metrics (0: any free port; default: none).")
    var metricsPort: Int?
    @Option(help: "Interface the metrics port listens on.") var metricsHost = "127.0.0.1"
    @Option(help: "Only this job (id or name).") var job: String?
    @Option(help: "Worker threads (default one per core).") var threads: Int?
    @Option(help: "Lease length in seconds (default 120, or $FACEJOB_LEASE_SECONDS); renewed by a heartbeat every third of it.")
    var lease: Double = WorkerEnvironment.defaultLeaseSeconds
    @Flag(help: "Keep polling for work instead of exiting when none is left.") var wait = false
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        if !(lease > 0 && lease.isFinite) { throw ValidationError("--lease must be a positive number of seconds") }
        if let metricsPort, !(0...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0…65535") }
    }

    func run() async throws {
        try await mapErrors {
            let locator = db.locator()
            let jobs = JobRepository(connection: try locator.connect())
            let jobID = try job.map { try jobs.job(named: $0).id }
            let engine = try DefaultFaceEngine.provider()
            let stop = StopRequest()
            let environment = WorkerEnvironment(connect: { try locator.connect() }, engine: engine, leaseSeconds: lease, stop: stop,
                                                logger: Observability.jobLogger)
            // Serves until the process ends.
            if let metricsPort { try await MetricsListener.start(host: metricsHost, port: metricsPort, command: "worker") }
            let board = ProgressBoard(mode: ProgressBoard.automaticMode(quiet: quiet), total: 0)
            let count = threads ?? AvailableCores.count, keepPolling = wait
            let worker = ClosureService {
                try await withGracefulShutdownHandler {
                    repeat {
                        let closed = try await CoreThreads.run(name: "facejob.worker") {
                            try jobs.expireDeadLeases(jobID: jobID, host: WorkerIdentity.host, isAlive: WorkerIdentity.isAlive)
                            return try InputWorkers.drain(jobID: jobID, count: count, environment: environment, board: board,
                                                          writeReports: true)
                        }
                        if closed == 0 && keepPolling && !stop.isRequested {
                            try? await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: 5_000_000_000) }
                        }
                    } while keepPolling && !stop.isRequested && !Task.isCancelled
                } onGracefulShutdown: {
                    stop.request()
                    Observability.tell("facejob worker: stopping: the batches in hand commit, their inputs are released",
                                       message: "stopping: the batches in hand commit, their inputs are released", level: .notice)
                }
            }
            // Finishing the work ends the group as a signal does; an error ends it and is rethrown.
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: Observability.jobLogger))
            try await group.run()
        }
    }
}
