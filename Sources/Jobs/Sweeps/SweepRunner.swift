import Common
import Crypto
import Foundation
import Postgres
import Store

/// What a sweep did.
public struct SweepOutcome: Sendable {
    /// The plan (every candidate and how it changed).
    public var plan: SweepPlan
    /// The job run for the new footage; nil when there was none.
    public var run: RunResult?
    /// The rescan of the sweep's recent jobs (definition's `rescan`), when the watchlist had
    /// changed since the sweep last searched; nil otherwise.
    public var rescan: RescanResult? = nil
}

/// Another sweep of the same name is running.
public struct SweepLocked: UserFacingError {
    /// The sweep's name.
    public var name: String
    public var description: String { "sweep \"\(name)\" is already running in another process; try later" }
    public var exitStatus: ExitStatus { .locked }
}

/// `facejob sweep`: under an advisory lock per sweep name, finds footage that is new or changed
/// since the sweep's earlier runs (path + size + mtime, confirmed by hash, see `SweepPlanner`),
/// runs it as one job and records it in the sweep ledger; with `rescan` set, it also rescans its
/// recent jobs when the watchlist changed since it last searched.
public struct SweepRunner {
    /// Connections and engine.
    public var environment: WorkerEnvironment

    /// A sweep runner.
    public init(environment: WorkerEnvironment) {
        self.environment = environment
    }

    /// The advisory lock that keeps two runs of one sweep apart.
    public static func lockKey(_ name: String) -> AdvisoryLockKey { AdvisoryLockKey(name: "facejob.sweep:" + name) }

    /// Runs the sweep defined at `definitionPath`; throws `SweepLocked` (exit 75) when another run holds the lock.
    public func run(_ sweep: SweepDefinition, base: URL, options: RunOptions) throws -> SweepOutcome {
        let connection = try environment.connect()
        guard try connection.tryAdvisoryLock(Self.lockKey(sweep.name)) else { throw SweepLocked(name: sweep.name) }
        defer { _ = try? connection.advisoryUnlock(Self.lockKey(sweep.name)) }
        let jobs = JobRepository(connection: connection)
        let ledger = try jobs.ledger(sweep: sweep.name).map {
            FootageRecord(path: $0.path, sizeBytes: $0.sizeBytes, modifiedNanoseconds: $0.modifiedNanoseconds, sha256: $0.sha256)
        }
        let plan = SweepPlanner.plan(candidates: try sweep.candidates(base: base), ledger: ledger)
        // Files already searched under another name or merely touched are recorded, not searched again.
        let seenOnly = plan.changes.compactMap { c -> String? in
            switch c.change {
            case .touched, .moved: return c.path
            default: return nil
            }
        }
        if !seenOnly.isEmpty {
            let files = try InputFile.fingerprint(seenOnly.map { ResolvedInput(path: $0, specIndex: 0, camera: nil, recordedAt: nil) })
            try jobs.recordSeen(sweep: sweep.name, files.map(Self.entry), jobID: nil)
        }
        var outcome = SweepOutcome(plan: plan, run: nil)
        if !plan.toRun.isEmpty {
            let manifest = try Self.manifest(for: sweep, files: plan.toRun, base: base)
            let result = try JobRunner(environment: environment).run(manifest, options: options)
            let finished = Set(result.inputs.filter { InputStatus(rawValue: $0.status)?.isFinished ?? false }.map(\.file.path))
            try jobs.recordSeen(sweep: sweep.name, plan.toRun.filter { finished.contains($0.input.path) }.map(Self.entry),
                                jobID: result.job.id)
            outcome.run = result
        }
        if let days = sweep.rescan?.days {
            outcome.rescan = try rescanIfChanged(sweep, days: days, base: base, skipping: outcome.run?.job.id, jobs: jobs)
        }
        return outcome
    }

    /// The definition's `rescan`: when the watchlist's state differs from the one the sweep last
    /// searched with, the sweep's jobs finished in the last `days` days (but the one just run,
    /// which searched the watchlist as it is) are rescanned; then the state is recorded. The first
    /// run with `rescan` only records the state.
    func rescanIfChanged(_ sweep: SweepDefinition, days: Int, base: URL, skipping current: Int64?,
                         jobs: JobRepository) throws -> RescanResult? {
        let state = try RescanRunner.watchlistState(sweep.watchlist, model: environment.engine.embeddingModel,
                                                    connection: jobs.connection)
        let previous = try jobs.watchlistState(sweep: sweep.name)
            .flatMap { try? JSONDecoder().decode(RescanWatchlistState.self, from: Data($0.utf8)) }
        var result: RescanResult?
        if let previous, previous != state {
            let since = Date(timeIntervalSinceNow: -Double(days) * 86_400)
            let recent = try jobs.sweepJobs(sweep: sweep.name, finishedAfter: since).filter { $0.id != current }
            if !recent.isEmpty {
                let folder = URL(fileURLWithPath: InputResolver.absolutePath(sweep.report.directory, base: base))
                    .appendingPathComponent("rescan-{id}").path
                do {
                    result = try RescanRunner(connect: environment.connect).run(RescanRequest(
                        jobs: recent.map { String($0.id) }, watchlist: sweep.watchlist, reportDirectory: folder))
                } catch RescanError.nothingToRescan {
                    result = nil
                }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try jobs.recordWatchlistState(sweep: sweep.name, String(decoding: try encoder.encode(state), as: UTF8.self))
        return result
    }

    static func entry(_ f: InputFile) -> SweepLedgerEntry {
        SweepLedgerEntry(path: f.input.path, sizeBytes: f.sizeBytes, modifiedNanoseconds: f.modifiedNanoseconds, sha256: f.sha256)
    }

    /// The job manifest of one sweep run: the sweep's settings over exactly these files. Its report
    /// folder is named after the files' hashes, so an interrupted sweep rerun finds the same job.
    static func manifest(for sweep: SweepDefinition, files: [InputFile], base: URL) throws -> ValidatedManifest {
        var digest = SHA256()
        for f in files { digest.update(data: Data((f.input.path + "\u{0}" + f.sha256 + "\n").utf8)) }
        let tag = digest.finalize().map { String(format: "%02x", $0) }.joined().prefix(12)
        var report = sweep.report
        report.directory = (report.directory as NSString).appendingPathComponent("run-" + tag)
        let m = Manifest(name: sweep.name, database: sweep.database, watchlist: sweep.watchlist,
                         inputs: files.map { InputSpec(source: .path($0.input.path), camera: $0.input.camera) },
                         sampling: sweep.sampling, detector: sweep.detector, model: sweep.model, search: sweep.search,
                         tracking: sweep.tracking, report: report, workers: sweep.workers, unknowns: sweep.unknowns)
        let data = try JSONEncoder().encode(m)
        switch ManifestValidator(baseDirectory: base).validate(data) {
        case .success(let v): return v
        case .failure(let e): throw e
        }
    }
}
