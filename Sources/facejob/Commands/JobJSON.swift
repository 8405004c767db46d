import Foundation
import Jobs
import Store

/// A job as `facejob jobs list --json` and `jobs status --json` print it (docs/jobs.md): the keys
/// `GET /jobs/{id}` answers (docs/api.md) and the job's report folder and creation time; `jobs
/// status` adds its inputs.
struct JobJSON: Encodable {
    /// The job.
    var job: JobRecord
    /// Its inputs for `jobs status`; nil leaves the key out (`jobs list`).
    var inputs: [JobInputJSON]?

    enum CodingKeys: String, CodingKey {
        case name, status, runs, finished, inputs
        case jobID = "job_id", manifestHash = "manifest_hash", reportDirectory = "report_directory"
        case createdAt = "created_at", finishedAt = "finished_at"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(job.id, forKey: .jobID)
        try c.encode(job.name, forKey: .name)
        try c.encode(job.status, forKey: .status)
        try c.encode(job.runs, forKey: .runs)
        try c.encode(job.manifestHash, forKey: .manifestHash)
        try c.encode(job.reportDirectory, forKey: .reportDirectory)
        try c.encode(job.isFinished, forKey: .finished)
        try c.encode(JSONOutput.time(job.createdAt), forKey: .createdAt)
        try c.encode(JSONOutput.time(job.finishedAt), forKey: .finishedAt)  // null while unfinished
        try c.encodeIfPresent(inputs, forKey: .inputs)
    }
}

/// One input of `facejob jobs status --json`.
struct JobInputJSON: Encodable {
    /// The input.
    var input: JobInputRecord

    enum CodingKeys: String, CodingKey {
        case ordinal, path, sha256, camera, status, error, faces, hits, seconds
        case sizeBytes = "size_bytes", checkpointMs = "checkpoint_ms", framesSampled = "frames_sampled"
        case damagedFrames = "damaged_frames", durationMs = "duration_ms", leaseOwner = "lease_owner"
        case leaseOwnerStopped = "lease_owner_stopped"
    }

    func encode(to encoder: Encoder) throws {
        let i = input
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(i.ordinal, forKey: .ordinal)
        try c.encode(i.file.path, forKey: .path)
        try c.encode(i.file.sha256, forKey: .sha256)
        try c.encode(i.file.sizeBytes, forKey: .sizeBytes)
        try c.encode(i.file.camera, forKey: .camera)
        try c.encode(i.status, forKey: .status)
        try c.encode(i.error, forKey: .error)
        try c.encode(i.checkpointMs, forKey: .checkpointMs)  // null before the first commit
        try c.encode(i.framesSampled, forKey: .framesSampled)
        try c.encode(i.faces, forKey: .faces)
        try c.encode(i.hits, forKey: .hits)
        try c.encode(i.damagedFrames, forKey: .damagedFrames)
        try c.encode(i.durationMs, forKey: .durationMs)
        try c.encode(i.seconds, forKey: .seconds)
        try c.encode(i.leaseOwner, forKey: .leaseOwner)
        // true: the lease holder was a process on this host that has exited; null: no lease, or
        // a holder on another host (which cannot be told from here).
        try c.encode(i.leaseOwner.flatMap(WorkerIdentity.hasStopped), forKey: .leaseOwnerStopped)
    }
}

/// `facejob jobs list --json`.
struct JobListJSON: Encodable {
    /// Newest first.
    var jobs: [JobJSON]
}
