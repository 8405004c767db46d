import Common
import FaceEngine
import Foundation
import Postgres
import Store
import Watchlist

/// What a rescan ended with.
public struct RescanResult: Sendable {
    /// The rescan.
    public var rescan: RescanRecord
    /// True when it had finished before and nothing was searched.
    public var alreadyFinished: Bool
    /// Its inputs at the end.
    public var inputs: [RescanInputRecord]
    /// Report files.
    public var reportFiles: [URL]
    /// Frames decoded by this run (thumbnails only).
    public var framesDecoded: Int64
    /// Hits in the rescan.
    public var hits: Int64 { inputs.reduce(0) { $0 + $1.hits } }
    /// Stored faces searched.
    public var faces: Int64 { inputs.reduce(0) { $0 + $1.faces } }

    /// 0 done; 2 partial (footage changed or missing: hits kept, thumbnails not cut).
    public var exitStatus: ExitStatus { rescan.status == "done" ? .success : rescan.status == "partial" ? .partial : .failure }
}

/// Runs a rescan: the stored faces of finished jobs searched against a watchlist as it is now,
/// without decoding footage (but the frames of hits, for thumbnails). A rescan is a job of its
/// own: the same inputs against the same watchlist state with the same settings is the same
/// rescan (asking again returns its reports), and an interrupted one resumes from its
/// checkpoints. Only one process runs a given rescan at a time (an advisory lock).
public struct RescanRunner {
    /// Opens a migrated connection.
    public var connect: @Sendable () throws -> PostgresConnection

    /// A runner.
    public init(connect: @escaping @Sendable () throws -> PostgresConnection) {
        self.connect = connect
    }

    /// Runs `request` to its end; `progress` hears one line per input.
    public func run(_ request: RescanRequest, progress: ((String) -> Void)? = nil) throws -> RescanResult {
        if let t = request.threshold, !(t.isFinite && t >= 0) { throw RescanError.invalidThreshold(t) }
        let connection = try connect()
        let jobs = JobRepository(connection: connection)
        let watchlists = WatchlistRepository(connection: connection)
        let rescans = RescanRepository(connection: connection)
        let footage = FootageRepository(connection: connection)

        let watchlist = try watchlists.watchlist(named: request.watchlist)
        let selection = try RescanSelection.resolve(request, jobs: jobs)
        let (scope, state) = try Self.scope(watchlist, modelName: selection.model.name, modelSHA256: selection.model.sha256,
                                            in: watchlists)
        let plan = try Self.plan(request, selection: selection, watchlist: watchlist, state: state)
        let (opened, created) = try rescans.open(plan)
        let lock = AdvisoryLockKey(name: "facejob.rescan:\(opened.id)")
        guard try connection.tryAdvisoryLock(lock) else { throw RescanError.busy("R\(opened.id)") }
        defer { _ = try? connection.advisoryUnlock(lock) }

        var rescan = try rescans.rescan(id: opened.id)
        if !created, rescan.isFinished, !request.force {
            var files = RescanReports.files(of: rescan)
            if files.contains(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
                files = try RescanReports.write(rescanID: rescan.id, connection: connection)
            }
            return RescanResult(rescan: rescan, alreadyFinished: true, inputs: try rescans.inputs(rescanID: rescan.id),
                                reportFiles: files, framesDecoded: 0)
        }
        try rescans.start(rescanID: rescan.id, reset: request.force && !created)

        // ANN searches need the index to cover the faces enrolled since its last build.
        let manifestOf = Dictionary(selection.inputs.map { ($0.job.id, $0.manifest) }, uniquingKeysWith: { a, _ in a })
        for factory in Set(manifestOf.values.filter { $0.search.method == .ann }.map(\.search.indexFactory)).sorted() {
            _ = try WatchlistIndexBuilder(repository: watchlists, scope: scope).build(IndexBuildRequest(factory: factory))
        }

        let search = RescanSearch(rescans: rescans, footage: footage, watchlists: watchlists, scope: scope)
        let thumbnails = StoredFaceThumbnails(reportDirectory: URL(fileURLWithPath: rescan.reportDirectory))
        let sourceOf = Dictionary(selection.inputs.map { ("\($0.job.id)/\($0.record.ordinal)", $0.record) },
                                  uniquingKeysWith: { a, _ in a })
        var decoded: Int64 = 0
        for input in try rescans.inputs(rescanID: rescan.id) where input.status == "pending" || input.status == "searched" {
            guard let manifest = manifestOf[input.jobID], let source = sourceOf["\(input.jobID)/\(input.inputOrdinal)"] else {
                continue
            }
            let started = Date()
            if input.status == "pending" {
                let threshold = request.threshold ?? manifest.search.threshold
                try search.run(rescanID: rescan.id, input: input, request: WatchlistSearchRequest(
                    method: manifest.search.method == .ann ? .ann : .exact, k: manifest.search.k, threshold: Float(threshold)))
            }
            let hits = try rescans.hits(rescanID: rescan.id, ordinal: input.ordinal).map(\.hit)
            let outcome = request.thumbnails
                ? thumbnails.cut(path: source.file.path, sha256: source.file.sha256, jobID: input.jobID,
                                 ordinal: input.ordinal, faces: hits.map(\.detection))
                : StoredFaceThumbnails.Outcome()
            decoded += outcome.framesDecoded
            try rescans.finishInput(rescanID: rescan.id, ordinal: input.ordinal, thumbnails: outcome.thumbnails,
                                    warning: outcome.warning, framesDecoded: outcome.framesDecoded,
                                    seconds: Date().timeIntervalSince(started))
            progress?("[\(input.ordinal)] job \(input.jobID) input \(input.inputOrdinal) \(source.file.path): "
                      + "\(hits.count) hits" + (outcome.warning.map { "; warning: \($0)" } ?? ""))
        }
        _ = try rescans.finish(rescanID: rescan.id)
        let files = try RescanReports.write(rescanID: rescan.id, connection: connection)
        rescan = try rescans.rescan(id: rescan.id)
        return RescanResult(rescan: rescan, alreadyFinished: false, inputs: try rescans.inputs(rescanID: rescan.id),
                            reportFiles: files, framesDecoded: decoded)
    }

    /// The watchlist under the dlib model with these weights, and its state now.
    static func scope(_ watchlist: Watchlist, modelName: String, modelSHA256: String,
                      in watchlists: WatchlistRepository) throws -> (WatchlistScope, RescanWatchlistState) {
        let model = try watchlists.model(for: EmbeddingModelKey(
            name: ModelCatalog.dlibResNet.model, weightsSHA256: modelSHA256, dimension: FaceEmbedder.dimensions,
            metric: Metric.euclidean.rawValue))
        let scope = WatchlistScope(watchlist: watchlist, model: model)
        let counters = try watchlists.state(of: scope)
        return (scope, RescanWatchlistState(faces: counters.embeddingCount - counters.tombstoneCount,
                                            embeddings: counters.embeddingCount, removed: counters.tombstoneCount,
                                            newestEmbeddingID: counters.maxEmbeddingID, model: modelName,
                                            modelSHA256: modelSHA256))
    }

    /// The state of a watchlist under a model now (a sweep compares it with the one it last searched with).
    public static func watchlistState(_ name: String, model: EmbeddingModelKey,
                                      connection: PostgresConnection) throws -> RescanWatchlistState {
        let watchlists = WatchlistRepository(connection: connection)
        return try scope(try watchlists.watchlist(named: name), modelName: model.name, modelSHA256: model.weightsSHA256,
                         in: watchlists).1
    }

    /// The rescan's identity and inputs: its key hashes the inputs (job, input, footage hash), the
    /// watchlist and its state, the model and the settings.
    static func plan(_ request: RescanRequest, selection: RescanSelection, watchlist: Watchlist,
                     state: RescanWatchlistState) throws -> RescanRepository.Plan {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stateJSON = String(decoding: try encoder.encode(state), as: UTF8.self)
        var settings: [String: String] = ["rescan.thumbnails": request.thumbnails ? "true" : "false"]
        if let t = request.threshold { settings["rescan.threshold"] = String(t) }
        for job in selection.jobs {
            let m = try job.decodedManifest()
            settings["job \(job.id).search"] = "\(m.search.method.rawValue), k=\(m.search.k), threshold=\(m.search.threshold)"
        }
        let settingsJSON = String(decoding: try encoder.encode(settings), as: UTF8.self)
        let inputs = selection.inputs.map { "\($0.job.id):\($0.record.ordinal):\($0.record.file.sha256)" }.joined(separator: ",")
        let key = SHA256Hex.bytes(Data("facejob-rescan-1|watchlist=\(watchlist.id)|state=\(stateJSON)|settings=\(settingsJSON)|inputs=\(inputs)".utf8))
        let newest = selection.inputs.map(\.job).max { $0.id < $1.id }
        let directory = request.reportDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? URL(fileURLWithPath: newest?.reportDirectory ?? FileManager.default.currentDirectoryPath)
                .deletingLastPathComponent().appendingPathComponent("rescan-{id}").path
        return RescanRepository.Plan(key: key, watchlistID: watchlist.id, watchlistName: watchlist.name,
                                     watchlistStateJSON: stateJSON, jobIDs: selection.jobs.map(\.id), settingsJSON: settingsJSON,
                                     reportDirectory: directory,
                                     inputs: selection.inputs.map { ($0.job.id, $0.record.ordinal) }, skipped: selection.skipped)
    }
}
