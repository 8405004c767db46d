import Common
import FaceEngine
import Foundation
import Jobs
import Logging
import Store

/// The jobs routes over the job runner: submit a manifest, read a job's state, fetch its reports.
extension APIService {
    /// Report files a client may fetch, with their content types.
    static let jobFiles = ["hits.csv": "text/csv; charset=utf-8", "sightings.csv": "text/csv; charset=utf-8",
                           "hits.json": "application/json", "report.html": "text/html; charset=utf-8"]

    /// Validates `body` as a manifest (relative paths against the first allowed root), refuses
    /// inputs and report folders outside the allowed roots, opens the job and runs it in the background.
    /// A job that exists is run again from scratch with `force` (as `facejob run --force`), on the
    /// footage as it is now; without it, footage that changed since the job recorded it is a 409.
    func submitJob(_ body: Data, force: Bool = false, logger: Logger) async throws -> JobSubmittedResponse {
        guard let base = roots.roots.first else {
            throw APIError(.forbidden, "jobs need server paths (start the server with --allowed-root DIR)")
        }
        let validated: ValidatedManifest
        switch ManifestValidator(baseDirectory: URL(fileURLWithPath: base, isDirectory: true)).validate(body) {
        case .success(let v): validated = v
        case .failure(let e): throw APIError.badRequest(e.description)
        }
        for input in validated.inputs { _ = try roots.check(input.path) }
        try checkReportDirectory(validated.reportDirectory.path)
        let (job, created) = try await pool.run { [database] in
            try database.withConnection { connection in
                // Hashing the footage here gives the client its job id before any work starts; the
                // runner opens the same job again (same name + manifest hash).
                // An unknown watchlist must not leave a job behind.
                _ = try WatchlistRepository(connection: connection).watchlist(named: validated.manifest.watchlist)
                let files = try InputFile.fingerprint(validated.inputs)
                let jobs = JobRepository(connection: connection)
                let opened = try jobs.openJob(for: validated, files: files)
                let job = opened.job
                if !opened.created, !force, let change = InputFile.footageChange(recorded: try jobs.inputs(jobID: job.id),
                                                                                  current: files, jobFinished: job.isFinished) {
                    let error = JobStoreError.footageChanged(job: job.id, name: job.name, finished: job.isFinished, change: change)
                    throw APIError(.conflict, error.description)
                }
                return opened
            }
        }
        if created || !job.isFinished || force { startJob(validated, id: job.id, force: force && !created, logger: logger) }
        return JobSubmittedResponse(jobID: job.id, status: job.status, name: job.name, created: created)
    }

    /// Runs the job on the serial jobs queue (one job at a time per server, so a burst of
    /// submissions cannot take every core from the request routes). Once the server is shutting
    /// down (`shutdown()`), the running job stops at its next checkpoint and queued ones do not start:
    /// submitting the manifest again, or a `facejob run` or `facejob worker`, resumes them.
    func startJob(_ manifest: ValidatedManifest, id: Int64, force: Bool = false, logger: Logger) {
        let url = configuration.databaseURL, models = configuration.modelsDirectory
        let running = runningJobs, metrics = jobMetrics, stop = self.stop
        let logger = {
            var logger = logger
            logger[metadataKey: "job_id"] = .stringConvertible(id)
            return logger
        }()
        running.insert(id)
        jobQueue.async {
            defer { running.remove(id) }
            guard !stop.isRequested else { return }
            do {
                let locator = DatabaseLocator(option: url)
                let engine = try DefaultFaceEngine.provider(catalog: ModelCatalog(directory: models))
                let environment = WorkerEnvironment(connect: { try locator.connect(migrate: false, startEmbedded: false) },
                                                    engine: engine, stop: stop, logger: logger, metrics: metrics)
                let result = try JobRunner(environment: environment).run(manifest, options: RunOptions(force: force))
                if result.stopped {
                    logger.info("job \(result.job.id) \"\(result.job.name)\": stopped at a checkpoint for shutdown, leases released")
                    return
                }
                logger.info("job \(result.job.id) \"\(result.job.name)\": \(result.job.status)")
            } catch {
                logger.error("job \(id) failed to run: \(error)")
            }
        }
    }

    /// The report folder must lie under an allowed root too; it may not exist yet, so its
    /// nearest existing ancestor is resolved (symlinks) and the rest appended.
    func checkReportDirectory(_ path: String) throws {
        let lexical = URL(fileURLWithPath: path).standardizedFileURL.path
        var existing = lexical
        while !FileManager.default.fileExists(atPath: existing), existing != "/" {
            existing = (existing as NSString).deletingLastPathComponent
        }
        let full = existing == "/" ? lexical : (AllowedRoots.resolve(existing) ?? existing) + String(lexical.dropFirst(existing.count))
        guard roots.roots.contains(where: { AllowedRoots.isInside(full, $0) }) else {
            throw APIError(.forbidden, "report directory \(path) is outside the allowed roots")
        }
    }

    /// A job's status, runs and per-input state.
    func jobStatus(_ idText: String) async throws -> JobStatusResponse {
        try await withJobs(idText) { jobs, job in
            JobStatusResponse(job: job, inputs: try jobs.inputs(jobID: job.id).map(JobStatusResponse.Input.init),
                              completing: self.runningJobs.contains(job.id))
        }
    }

    /// The bytes of a finished job's report file, written from the database when missing.
    func jobFile(_ idText: String, _ name: String) async throws -> Data {
        guard Self.jobFiles[name] != nil else { throw APIError(.notFound, "no report file \(name) (one of \(Self.jobFiles.keys.sorted()))") }
        return try await withJobs(idText) { jobs, job in
            guard job.isFinished else { throw APIError(.conflict, "job \(job.id) is \(job.status); reports come when it has finished") }
            let file = URL(fileURLWithPath: job.reportDirectory).appendingPathComponent(name)
            guard JobReports.expectedFiles(of: job).map(\.lastPathComponent).contains(name) else {
                throw APIError(.notFound, "job \(job.id)'s manifest does not ask for \(name)")
            }
            if !FileManager.default.fileExists(atPath: file.path) { try JobReports.write(jobID: job.id, jobs: jobs) }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw APIError(.notFound, "report file \(name) of job \(job.id) cannot be read")
            }
            return data
        }
    }

    private func withJobs<T>(_ idText: String, _ body: @escaping @Sendable (JobRepository, JobRecord) throws -> T) async throws -> T {
        guard let id = Int64(idText) else { throw APIError(.notFound, "no job \(idText)") }
        return try await pool.run { [database] in
            try database.withConnection { connection in
                let jobs = JobRepository(connection: connection)
                let job: JobRecord
                do { job = try jobs.job(id: id) } catch JobStoreError.unknownJob { throw APIError(.notFound, "no job \(id)") }
                return try body(jobs, job)
            }
        }
    }
}
