import Common
import Foundation
import Reports
import Store

/// Writes a job's reports from what the database holds: `facejob run` at the end of a job and
/// `facejob report JOB` both come here, so a regenerated report equals the original (but for
/// its generation time).
public enum JobReports {
    /// Assembles the bundle of a job from its stored state.
    public static func bundle(jobID: Int64, jobs: JobRepository) throws -> (job: JobRecord, bundle: ReportBundle) {
        let job = try jobs.job(id: jobID)
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(job.manifestJSON.utf8))
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
            guard let input = byOrdinal[s.inputOrdinal] else { return nil }
            let d = s.detection
            return HitRecord(
                jobName: job.name, jobID: String(job.id), inputPath: input.file.path, inputSHA256: input.file.sha256,
                camera: input.file.camera, recordedAt: input.file.recordedAt.flatMap { RecordingStart(rfc3339: $0) },
                frameIndex: d.frameIndex, ptsMicroseconds: d.ptsMicroseconds, frameWidth: input.frameWidth,
                frameHeight: input.frameHeight, box: ReportBox(x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height),
                detectionScore: d.score, identityID: s.hit.identityID, identityName: s.hit.identityName,
                externalID: s.hit.externalID, distance: s.hit.distance, similarity: s.hit.similarity, rank: s.hit.rank,
                threshold: s.hit.threshold, trackID: d.trackID, sightingID: nil, thumbnailPath: s.hit.thumbnail,
                modelName: embedder?.name ?? manifest.model, modelSHA256: embedder?.sha256 ?? "")
        }
        let photos = try enrolledPhotos(Set(hits.map(\.identityID)), connection: jobs.connection)
        return (job, ReportAssembler.assemble(header: header, hits: hits, enrolledPhotos: photos))
    }

    /// Writes the manifest's report formats into the job's report folder and stores the sightings.
    @discardableResult
    public static func write(jobID: Int64, jobs: JobRepository) throws -> [URL] {
        let (job, bundle) = try bundle(jobID: jobID, jobs: jobs)
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(job.manifestJSON.utf8))
        let directory = URL(fileURLWithPath: job.reportDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ordinalOf = Dictionary(bundle.header.inputs.enumerated().map { ($0.element.path, $0.offset) },
                                   uniquingKeysWith: { a, _ in a })
        try jobs.replaceSightings(jobID: jobID, bundle.sightings.map { s in
            SightingRow(id: s.sightingID, inputOrdinal: ordinalOf[s.inputPath] ?? -1, trackID: s.trackID,
                        identityID: s.identityID, firstMicroseconds: s.firstPtsMicroseconds,
                        lastMicroseconds: s.lastPtsMicroseconds, bestFrame: s.bestFrame, bestDistance: s.bestDistance,
                        count: Int64(s.hitCount))
        })
        return try ReportSet.write(bundle, formats: Set(manifest.report.formats), to: directory)
    }

    /// The report files a job's manifest asks for (whether or not they exist yet).
    public static func expectedFiles(of job: JobRecord) -> [URL] {
        let directory = URL(fileURLWithPath: job.reportDirectory)
        let formats = (try? JSONDecoder().decode(Manifest.self, from: Data(job.manifestJSON.utf8)))?.report.formats ?? []
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
