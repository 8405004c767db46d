import Common
import Foundation
import Postgres
import Reports
import Store

/// Writes a rescan's reports from the database, in the shapes a job's reports have: every hit
/// names the job whose stored face it is, sightings come from the stored tracks, and the header
/// says it is a rescan, of which jobs, against which watchlist state.
enum RescanReports {
    /// Reads the rescan in one read-only snapshot and writes all four report files.
    static func write(rescanID: Int64, connection: PostgresConnection) throws -> [URL] {
        let bundle = try connection.transaction {
            try connection.executeScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try read(rescanID: rescanID, connection: connection)
        }
        let rescan = try RescanRepository(connection: connection).rescan(id: rescanID)
        let directory = URL(fileURLWithPath: rescan.reportDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try ReportSet.write(bundle, formats: [.csv, .json, .html], to: directory)
    }

    /// The report files a rescan writes.
    static func files(of rescan: RescanRecord) -> [URL] {
        let directory = URL(fileURLWithPath: rescan.reportDirectory)
        return ["hits.csv", "sightings.csv", "hits.json", "report.html"].map { directory.appendingPathComponent($0) }
    }

    private static func read(rescanID: Int64, connection: PostgresConnection) throws -> ReportBundle {
        let rescans = RescanRepository(connection: connection)
        let jobs = JobRepository(connection: connection)
        let rescan = try rescans.rescan(id: rescanID)
        let inputs = try rescans.inputs(rescanID: rescanID)
        var jobOf: [Int64: JobRecord] = [:]
        var sourceOf: [String: JobInputRecord] = [:]
        for id in Set(inputs.map(\.jobID)) {
            jobOf[id] = try jobs.job(id: id)
            for i in try jobs.inputs(jobID: id) { sourceOf["\(id)/\(i.ordinal)"] = i }
        }
        let newest = inputs.map(\.jobID).max().flatMap { jobOf[$0] }
        let models = newest.flatMap { try? JSONDecoder().decode([EngineModel].self, from: Data($0.modelsJSON.utf8)) } ?? []
        let embedder = models.first { $0.role == "embedder" }
        let state = (try? JSONDecoder().decode(RescanWatchlistState.self, from: Data(rescan.watchlistStateJSON.utf8)))
        let settings = (try? JSONSerialization.jsonObject(with: Data(rescan.settingsJSON.utf8)) as? [String: Any]) ?? [:]
        let warnings = inputs.compactMap(\.warning)
        let header = ReportHeader(
            jobName: "rescan R\(rescan.id)", jobID: "R\(rescan.id)", manifestHash: rescan.key,
            facejobVersion: FacejobVersion.current,
            generatedAt: RecordingStart(epochNanoseconds: Int64(Date().timeIntervalSince1970 * 1_000_000_000),
                                        utcOffsetSeconds: 0).rfc3339,
            models: models.map { ReportModel(role: $0.role, name: $0.name, weightsSHA256: $0.sha256) },
            inputs: inputs.compactMap { r in
                guard let i = sourceOf["\(r.jobID)/\(r.inputOrdinal)"] else { return nil }
                return ReportInput(path: i.file.path, sha256: i.file.sha256, sizeBytes: i.file.sizeBytes, camera: i.file.camera,
                                   recordedAt: i.file.recordedAt.flatMap { RecordingStart(rfc3339: $0) }, status: r.status,
                                   error: r.warning, framesSampled: i.framesSampled, faces: r.faces, hits: r.hits,
                                   recordedAtSource: i.file.recordedAtSource)
            },
            settings: settings.keys.sorted().map { ReportSetting(name: $0, value: "\(settings[$0] ?? "")") },
            timings: inputs.map { ReportTiming(stage: "input \($0.ordinal) (job \($0.jobID) input \($0.inputOrdinal))",
                                               seconds: $0.seconds) },
            rescan: ReportRescan(
                id: "R\(rescan.id)",
                jobs: rescan.jobIDs.sorted().map { id in jobOf[id].map { "\(id) \"\($0.name)\"" } ?? "\(id) (purged)" },
                watchlist: rescan.watchlistName, watchlistState: state?.summary ?? rescan.watchlistStateJSON,
                skipped: rescan.skipped, warnings: warnings, framesDecoded: rescan.framesDecoded))
        let hits = try rescans.hits(rescanID: rescanID).compactMap { row -> HitRecord? in
            guard let job = jobOf[row.jobID], let input = sourceOf["\(row.jobID)/\(row.hit.inputOrdinal)"] else { return nil }
            return JobReports.hitRecord(row.hit, job: job, input: input, modelName: embedder?.name ?? "",
                                        modelSHA256: embedder?.sha256 ?? "")
        }
        let photos = try JobReports.enrolledPhotos(Set(hits.map(\.identityID)), connection: connection)
        return ReportAssembler.assemble(header: header, hits: hits, enrolledPhotos: photos)
    }
}
