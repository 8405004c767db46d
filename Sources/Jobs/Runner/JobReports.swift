import Common
import Foundation
import Postgres
import Reports
import Store

/// Writes a job's reports from what the database holds: `facejob run` at the end of a job and
/// `facejob report JOB` both come here, so a regenerated report equals the original (but for
/// its generation time). It only reads the database: the runner stores the sightings
/// (`JobCompletion`).
public enum JobReports {
    /// A job's stored state as reports show it: read in one read-only snapshot, so the job, its
    /// inputs and its hits agree even while workers still commit.
    public struct Snapshot {
        /// The job.
        public let job: JobRecord
        /// Its manifest, decoded once.
        public let manifest: Manifest
        /// Everything the writers need.
        public let bundle: ReportBundle
    }

    /// Reads a job's snapshot; `manifest` spares decoding the stored one again when the caller
    /// holds it already.
    public static func snapshot(jobID: Int64, jobs: JobRepository, manifest: Manifest? = nil) throws -> Snapshot {
        let connection = jobs.connection
        return try connection.transaction {
            try connection.executeScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try read(jobID: jobID, jobs: jobs, manifest: manifest)
        }
    }

    private static func read(jobID: Int64, jobs: JobRepository, manifest known: Manifest?) throws -> Snapshot {
        let job = try jobs.job(id: jobID)
        let manifest = try known ?? job.decodedManifest()
        let models = (try? JSONDecoder().decode([EngineModel].self, from: Data(job.modelsJSON.utf8))) ?? []
        let embedder = models.first { $0.role == "embedder" }
        let inputs = try jobs.inputs(jobID: jobID)
        let byOrdinal = Dictionary(uniqueKeysWithValues: inputs.map { ($0.ordinal, $0) })
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let header = ReportHeader(
            jobName: job.name, jobID: String(job.id), manifestHash: job.manifestHash,
            facejobVersion: FacejobVersion.current,
            generatedAt: RecordingStart(epochNanoseconds: now, utcOffsetSeconds: 0).rfc3339,
            models: models.map { ReportModel(role: $0.role, name: $0.name, weightsSHA256: $0.sha256) },
            inputs: inputs.map { i in
                ReportInput(path: i.file.path, sha256: i.file.sha256, sizeBytes: i.file.sizeBytes, camera: i.file.camera,
                            recordedAt: i.file.recordedAt.flatMap { RecordingStart(rfc3339: $0) }, status: i.status,
                            error: i.error, framesSampled: i.framesSampled, faces: i.faces, hits: i.hits,
                            recordedAtSource: i.file.recordedAtSource)
            },
            settings: manifest.reportSettings,
            timings: inputs.map { ReportTiming(stage: "input \($0.ordinal) " + ($0.file.path as NSString).lastPathComponent,
                                               seconds: $0.seconds) })
        let hits = try jobs.hits(jobID: jobID).compactMap { s -> HitRecord? in
            byOrdinal[s.inputOrdinal].map {
                hitRecord(s, job: job, input: $0, modelName: embedder?.name ?? manifest.model, modelSHA256: embedder?.sha256 ?? "")
            }
        }
        let photos = try enrolledPhotos(Set(hits.map(\.identityID)), connection: jobs.connection)
        let reviews = try ReviewRepository(connection: jobs.connection).current(jobID: jobID)
        let bundle = ReportAssembler.assemble(header: header, hits: hits, enrolledPhotos: photos)
        let clips = try jobs.clips(jobID: jobID)
        return Snapshot(job: job, manifest: manifest,
                        bundle: EvidenceClips.apply(clips, to: ReviewStatuses.apply(reviews, to: bundle)))
    }

    /// A stored hit as a report row: the face of `job`'s `input` and its match (a job's report and a
    /// rescan's both build their rows here).
    static func hitRecord(_ s: StoredHit, job: JobRecord, input: JobInputRecord, modelName: String,
                          modelSHA256: String) -> HitRecord {
        let d = s.detection
        return HitRecord(
            jobName: job.name, jobID: String(job.id), inputPath: input.file.path, inputSHA256: input.file.sha256,
            camera: input.file.camera, recordedAt: input.file.recordedAt.flatMap { RecordingStart(rfc3339: $0) },
            frameIndex: d.frameIndex, ptsMicroseconds: d.ptsMicroseconds, frameWidth: input.frameWidth,
            frameHeight: input.frameHeight, box: d.box,
            detectionScore: d.score, identityID: s.hit.identityID, identityName: s.hit.identityName,
            externalID: s.hit.externalID, distance: s.hit.distance, similarity: s.hit.similarity, rank: s.hit.rank,
            threshold: s.hit.threshold, trackID: d.trackID, sightingID: nil, thumbnailPath: s.hit.thumbnail,
            modelName: modelName, modelSHA256: modelSHA256)
    }

    /// Writes the manifest's report formats into the job's report folder.
    @discardableResult
    public static func write(_ snapshot: Snapshot) throws -> [URL] {
        let directory = URL(fileURLWithPath: snapshot.job.reportDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try ReportSet.write(snapshot.bundle, formats: Set(snapshot.manifest.report.formats), to: directory)
    }

    /// Reads the job and writes its reports (`facejob report`, a report file asked of the API).
    @discardableResult
    public static func write(jobID: Int64, jobs: JobRepository) throws -> [URL] {
        try write(snapshot(jobID: jobID, jobs: jobs))
    }

    /// The court copy: the job's reports with only the hits and sightings an analyst marked
    /// `decision`, written into `directory` (default: `confirmed/` or `rejected/` in the report
    /// folder) with copies of their thumbnails, so the folder stands on its own.
    @discardableResult
    public static func write(jobID: Int64, jobs: JobRepository, only decision: ReviewDecision,
                             to directory: URL? = nil) throws -> [URL] {
        let s = try snapshot(jobID: jobID, jobs: jobs)
        let source = URL(fileURLWithPath: s.job.reportDirectory)
        let folder = directory ?? source.appendingPathComponent(decision.rawValue)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bundle = ReviewStatuses.only(decision, s.bundle)
        let thumbnails = Set(bundle.hits.compactMap(\.thumbnailPath) + bundle.sightings.compactMap(\.bestThumbnailPath))
        for relative in thumbnails.sorted() {
            let from = source.appendingPathComponent(relative), to = folder.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: from.path), !FileManager.default.fileExists(atPath: to.path) else { continue }
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: from, to: to)
        }
        return try ReportSet.write(bundle, formats: Set(s.manifest.report.formats), to: folder)
    }

    /// The report files a job's manifest asks for (whether or not they exist yet).
    public static func expectedFiles(of job: JobRecord) -> [URL] {
        let directory = URL(fileURLWithPath: job.reportDirectory)
        let formats = (try? job.decodedManifest())?.report.formats ?? []
        var names: [String] = []
        if formats.contains(.csv) { names += ["hits.csv", "sightings.csv"] }
        if formats.contains(.json) { names.append("hits.json") }
        if formats.contains(.html) { names.append("report.html") }
        return names.map { directory.appendingPathComponent($0) }
    }

    /// One enrolled photo per identity (its first still-enrolled image that can be read), shown
    /// beside the sighting's best thumbnail in the HTML report.
    static func enrolledPhotos(_ identities: Set<Int64>, connection: PostgresConnection) throws -> [Int64: EnrolledPhoto] {
        guard !identities.isEmpty else { return [:] }
        let rows = try connection.execute("""
            SELECT identity_id, source_path FROM enrolled_images
            WHERE identity_id = ANY($1) AND removed_at IS NULL ORDER BY identity_id, id
            """, [.int8Array(identities.sorted())]).rows
        var out: [Int64: EnrolledPhoto] = [:]
        for r in rows {
            let id = try r.decode(0, as: Int64.self), path = try r.decode(1, as: String.self)
            guard out[id] == nil, let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = [UInt8](data)
            let kind: EnrolledPhoto.Kind? = bytes.starts(with: [0xFF, 0xD8]) ? .jpeg
                : bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? .png : nil
            if let kind { out[id] = EnrolledPhoto(data: bytes, kind: kind) }
        }
        return out
    }
}
