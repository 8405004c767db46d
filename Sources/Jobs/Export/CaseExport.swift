import Common
import Foundation
import Postgres
import Reports
import Store

/// `facejob export JOB --out case.tar`: everything a court needs about one job in one archive that
/// proves its own integrity. Under one folder (`<job name>-<id>/`):
/// - `manifest.json` (as the job stored it) and `job.json` (the job, its models and inputs with
///   their SHA-256);
/// - `reports/`: the job's report folder as it is after the reports are written afresh from the
///   database (so they carry the newest review statuses): hits, sightings, report.html, thumbnails,
///   clips, unknown persons, a court copy if one was written;
/// - `enrolled/<identity id>/<sha256>.<ext>`: the enrolled photos of every identity hit, each
///   checked against the SHA-256 recorded at enrolment (a changed or missing photo is left out and
///   listed in `export.json`);
/// - `audit.jsonl`: the audit rows about the job (reviews, purges) and about those identities;
/// - `export.json`: who exported what, when, and the warnings;
/// - `SHA256SUMS`: the SHA-256 of every other file, as `sha256sum` writes it.
/// The archive is written beside its target and renamed into place; the export is an audit row.
public enum CaseExport {
    /// What an export wrote.
    public struct Summary: Encodable, Sendable {
        /// The archive.
        public var archive: String
        /// Its SHA-256.
        public var sha256: String
        /// Files in it (SHA256SUMS included).
        public var files: Int
        /// What was left out, and why.
        public var warnings: [String]
    }

    /// Writes job `reference`'s archive to `url`; refuses an existing file unless `force`.
    public static func export(job reference: String, to url: URL, force: Bool, actor: String,
                              connection: PostgresConnection) throws -> Summary {
        if FileManager.default.fileExists(atPath: url.path), !force { throw ExportError.targetExists(url.path) }
        let jobs = JobRepository(connection: connection)
        let job = try jobs.job(named: reference)
        guard job.isFinished else { throw ExportError.unfinished(job.id, job.status) }
        _ = try JobReports.write(jobID: job.id, jobs: jobs)
        let root = "\(job.name)-\(job.id)"
        var files: [(String, Data)] = []
        var warnings: [String] = []
        files.append(("manifest.json", Data(job.manifestJSON.utf8)))
        files.append(("job.json", try jobJSON(job, inputs: jobs.inputs(jobID: job.id))))
        let reports = URL(fileURLWithPath: job.reportDirectory)
        for relative in try reportFiles(reports) {
            files.append(("reports/" + relative, try Data(contentsOf: reports.appendingPathComponent(relative))))
        }
        let identities = Set(try jobs.hits(jobID: job.id).map(\.hit.identityID)).sorted()
        let photos = try enrolledPhotos(identities, connection: connection)
        files += photos.files
        warnings += photos.warnings
        files.append(("audit.jsonl", try auditRows(job: job, identities: identities, connection: connection)))
        let exportedAt = RecordingStart(epochNanoseconds: Int64(Date().timeIntervalSince1970 * 1e9), utcOffsetSeconds: 0).rfc3339
        let info: [String: Any] = ["job_id": job.id, "job_name": job.name, "manifest_sha256": job.manifestHash,
                                   "exported_at": exportedAt, "exported_by": actor, "facejob_version": FacejobVersion.current,
                                   "warnings": warnings]
        files.append(("export.json", try JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys])))
        files.sort { $0.0 < $1.0 }
        let sums = files.map { "\(SHA256Hex.bytes($0.1))  \($0.0)\n" }.joined()
        files.append(("SHA256SUMS", Data(sums.utf8)))

        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        let writer = try TarWriter(url: partial)
        for (path, data) in files { try writer.add(path: root + "/" + path, contents: data) }
        try writer.finish()
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: partial, to: url)
        let digest = try SHA256Hex.file(at: url.path)
        try AuditLog(connection: connection).append(
            actor: actor, action: "job.export", subject: "job/\(job.id)",
            details: ["archive": url.path, "sha256": digest, "files": files.count, "warnings": warnings])
        return Summary(archive: url.path, sha256: digest, files: files.count, warnings: warnings)
    }

    /// Every regular file under the report folder, relative, sorted; none when it does not exist.
    static func reportFiles(_ folder: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var out: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !relative.hasPrefix("."), !relative.contains("/.") else { continue }
            out.append(relative)
        }
        return out.sorted()
    }

    static func jobJSON(_ job: JobRecord, inputs: [JobInputRecord]) throws -> Data {
        let models = (try? JSONSerialization.jsonObject(with: Data(job.modelsJSON.utf8))) ?? []
        let object: [String: Any] = [
            "id": job.id, "name": job.name, "manifest_sha256": job.manifestHash, "status": job.status, "runs": job.runs,
            "models": models,
            "inputs": inputs.map { i -> [String: Any] in
                ["ordinal": i.ordinal, "path": i.file.path, "sha256": i.file.sha256, "size_bytes": i.file.sizeBytes,
                 "camera": i.file.camera ?? NSNull(), "recorded_at": i.file.recordedAt ?? NSNull(), "status": i.status,
                 "frames_sampled": i.framesSampled, "faces": i.faces, "hits": i.hits]
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The enrolled photos of `identities` that still hash to what was enrolled.
    static func enrolledPhotos(_ identities: [Int64], connection: PostgresConnection) throws
        -> (files: [(String, Data)], warnings: [String]) {
        guard !identities.isEmpty else { return ([], []) }
        let rows = try connection.execute("""
            SELECT identity_id, source_path, image_sha256 FROM enrolled_images
            WHERE identity_id = ANY($1) AND removed_at IS NULL ORDER BY identity_id, id
            """, [.int8Array(identities)]).rows
        var files: [(String, Data)] = [], warnings: [String] = []
        for r in rows {
            let id: Int64 = try r.decode(0), path: String = try r.decode(1), sha: String = try r.decode(2)
            guard !path.hasPrefix("footage:") else { continue }  // promoted from footage: the job's own evidence
            guard let data = FileManager.default.contents(atPath: path) else {
                warnings.append("enrolled photo \(path) of identity \(id) cannot be read; left out")
                continue
            }
            guard SHA256Hex.bytes(data) == sha else {
                warnings.append("enrolled photo \(path) of identity \(id) has changed since it was enrolled; left out")
                continue
            }
            let ext = (path as NSString).pathExtension.lowercased()
            files.append(("enrolled/\(id)/\(sha)" + (ext.isEmpty ? "" : ".\(ext)"), data))
        }
        return (files, warnings)
    }

    /// The audit rows about the job and the identities, oldest first, one JSON object per line.
    static func auditRows(job: JobRecord, identities: [Int64], connection: PostgresConnection) throws -> Data {
        let rows = try connection.execute("""
            SELECT id, at, actor, action, subject, details::text FROM audit_log
            WHERE subject = $1 OR subject LIKE $2 OR subject ~ $3 ORDER BY id
            """, [.text("job/\(job.id)"), .text("job/\(job.id)/%"),
                  .text("^watchlist/.*/identity/(" + identities.map(String.init).joined(separator: "|") + ")$")]).rows
        var out = ""
        for r in rows {
            let at: Date = try r.decode(1)
            let details: String? = try r.decode(5)
            let object: [String: Any] = [
                "id": try r.decode(0, as: Int64.self),
                "at": RecordingStart(epochNanoseconds: Int64(at.timeIntervalSince1970 * 1e9), utcOffsetSeconds: 0).rfc3339,
                "actor": try r.decode(2, as: String.self), "action": try r.decode(3, as: String.self),
                "subject": (try r.decode(4, as: String?.self)) ?? NSNull(),
                "details": details.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } ?? NSNull(),
            ]
            out += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        return Data(out.utf8)
    }
}
