import Foundation
import Store

/// `POST /jobs`'s answer.
struct JobSubmittedResponse: Encodable {
    var jobID: Int64
    var status: String
    var name: String
    var created: Bool

    enum CodingKeys: String, CodingKey {
        case status, name, created
        case jobID = "job_id"
    }
}

/// `GET /jobs/{id}`: the job, its runs and each input's state.
struct JobStatusResponse: Encodable {
    struct Input: Encodable {
        var record: JobInputRecord

        enum CodingKeys: String, CodingKey {
            case ordinal, path, sha256, status, faces, hits, error
            case framesSampled = "frames_sampled", damagedFrames = "damaged_frames", checkpointMs = "checkpoint_ms"
        }

        func encode(to encoder: Encoder) throws {
            let i = record
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(i.ordinal, forKey: .ordinal)
            try c.encode(i.file.path, forKey: .path)
            try c.encode(i.file.sha256, forKey: .sha256)
            try c.encode(i.status, forKey: .status)
            try c.encode(i.framesSampled, forKey: .framesSampled)
            try c.encode(i.faces, forKey: .faces)
            try c.encode(i.hits, forKey: .hits)
            try c.encode(i.damagedFrames, forKey: .damagedFrames)
            try c.encode(i.error, forKey: .error)  // null while none
            try c.encode(i.checkpointMs, forKey: .checkpointMs)  // null before the first commit
        }
    }

    var job: JobRecord
    var inputs: [Input]
    /// The server is still running the job (writing its reports, grouping its unknown persons).
    var completing = false

    enum CodingKeys: String, CodingKey {
        case name, status, runs, finished, inputs
        case jobID = "job_id", manifestHash = "manifest_hash", finishedAt = "finished_at"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(job.id, forKey: .jobID)
        try c.encode(job.name, forKey: .name)
        try c.encode(job.status, forKey: .status)
        try c.encode(job.runs, forKey: .runs)
        try c.encode(job.manifestHash, forKey: .manifestHash)
        try c.encode(job.isFinished && !completing, forKey: .finished)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(job.finishedAt.map { ISO8601DateFormatter().string(from: $0) }, forKey: .finishedAt)
    }
}

/// Every error: `{"error": message}`.
struct ErrorBody: Encodable {
    var error: String
}

/// `GET /healthz`.
struct HealthResponse: Encodable {
    let status = "ok"
    let version = "facejob"
}
