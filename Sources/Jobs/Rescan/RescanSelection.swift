import Foundation
import Reports
import Store

/// The stored inputs a rescan searches, resolved from a request: named jobs (each must exist
/// and have finished) or every finished job, filtered by camera and recording time. Inputs that
/// failed, of another embedding model, or the same footage as a newer job's input are left out,
/// each with the reason the report gives.
struct RescanSelection {
    /// One input to search.
    struct Input {
        var job: JobRecord
        var manifest: Manifest
        var record: JobInputRecord
    }

    /// The inputs, oldest job first, in job input order.
    var inputs: [Input]
    /// The jobs they come from, by id.
    var jobs: [JobRecord]
    /// Inputs left out, and why.
    var skipped: [String]
    /// The embedding model of the inputs (name, weights SHA-256).
    var model: EngineModel

    static func resolve(_ request: RescanRequest, jobs repository: JobRepository) throws -> RescanSelection {
        try resolve(jobs: request.jobs, all: request.all, camera: request.camera, from: request.from, to: request.to,
                    repository: repository)
    }

    /// The finished inputs of the named jobs (or of every job with `all`), filtered by camera and
    /// recording time; shared by rescans and unknown-person clustering.
    static func resolve(jobs references: [String], all: Bool, camera: String?, from: Date?, to: Date?,
                        repository: JobRepository) throws -> RescanSelection {
        guard all != !references.isEmpty else { throw RescanError.noSelection }
        var chosen: [JobRecord] = []
        if all {
            chosen = try repository.jobs(limit: Int(Int32.max)).filter { $0.status == "done" || $0.status == "partial" }
        } else {
            var seen = Set<Int64>()
            for reference in references {
                let job = try repository.job(named: reference)
                if seen.insert(job.id).inserted { chosen.append(job) }
            }
            let unfinished = chosen.filter { !$0.isFinished }
            if !unfinished.isEmpty { throw RescanError.unfinished(unfinished.map { "\($0.id) \"\($0.name)\" (\($0.status))" }) }
        }
        chosen.sort { $0.id < $1.id }

        var skipped: [String] = []
        var candidates: [Input] = []
        var model: EngineModel?
        // Newest job first: its model is the one searched, and its copy of a file wins.
        for job in chosen.reversed() {
            let manifest = try job.decodedManifest()
            let embedder = (try? JSONDecoder().decode([EngineModel].self, from: Data(job.modelsJSON.utf8)))?
                .first { $0.role == "embedder" }
            guard let embedder else {
                skipped.append("job \(job.id) \"\(job.name)\": no embedding model recorded (it never ran an input)")
                continue
            }
            let searched = model ?? embedder
            model = searched
            guard embedder == searched else {
                skipped.append("job \(job.id) \"\(job.name)\": embedded with \(embedder.name) \(embedder.sha256.prefix(12)), "
                               + "not with \(searched.name) \(searched.sha256.prefix(12)) like the newer jobs")
                continue
            }
            for input in try repository.inputs(jobID: job.id) {
                let label = "job \(job.id) input \(input.ordinal) \(input.file.path)"
                if let camera, input.file.camera != camera { continue }
                if from != nil || to != nil {
                    guard let start = input.file.recordedAt.flatMap(RecordingStart.init(rfc3339:)) else {
                        skipped.append("\(label): no recording time, so --from/--to cannot place it")
                        continue
                    }
                    let begins = Double(start.epochNanoseconds) / 1e9
                    let ends = begins + Double(input.durationMs ?? 0) / 1000
                    if let from, ends < from.timeIntervalSince1970 { continue }
                    if let to, begins > to.timeIntervalSince1970 { continue }
                }
                guard input.status == "done" || input.status == "partial" else {
                    skipped.append("\(label): input \(input.status)" + (input.error.map { ": \($0)" } ?? ""))
                    continue
                }
                if let newer = candidates.first(where: { $0.record.file.sha256 == input.file.sha256 || $0.record.file.path == input.file.path }) {
                    skipped.append("\(label): the same footage as job \(newer.job.id) input \(newer.record.ordinal), searched there")
                    continue
                }
                candidates.append(Input(job: job, manifest: manifest, record: input))
            }
        }
        guard let model, !candidates.isEmpty else { throw RescanError.nothingToRescan(why: skipped) }
        candidates.sort { ($0.job.id, $0.record.ordinal) < ($1.job.id, $1.record.ordinal) }
        let used = Set(candidates.map(\.job.id))
        return RescanSelection(inputs: candidates, jobs: chosen.filter { used.contains($0.id) }, skipped: skipped, model: model)
    }
}
