import Foundation
import Postgres

/// One job as stored: identified by name + manifest hash.
public struct JobRecord: Sendable, Equatable {
    /// Database id.
    public var id: Int64
    /// Job name from the manifest.
    public var name: String
    /// SHA-256 of the manifest's canonical form.
    public var manifestHash: String
    /// The manifest as stored (JSON text).
    public var manifestJSON: String
    /// The folder relative manifest paths were resolved against.
    public var baseDirectory: String
    /// Absolute report folder.
    public var reportDirectory: String
    /// pending, running, done, partial or failed.
    public var status: String
    /// How many times the job was started.
    public var runs: Int
    /// When the job was first created.
    public var createdAt: Date
    /// When the last run finished; nil while unfinished.
    public var finishedAt: Date?
    /// Models used, as JSON text (`[{"role":…,"name":…,"sha256":…}]`).
    public var modelsJSON: String

    /// Whether a rerun without `--force` leaves the job alone.
    public var isFinished: Bool { status == "done" || status == "partial" || status == "failed" }

    /// The SHA-256 of the embedding model's weights the job's faces were embedded with; nil before
    /// its first run.
    public var embedderSHA256: String? {
        guard let models = try? JSONSerialization.jsonObject(with: Data(modelsJSON.utf8)) as? [[String: Any]] else { return nil }
        return models.first { $0["role"] as? String == "embedder" }?["sha256"] as? String
    }
}

/// An input as the job creator describes it.
public struct NewJobInput: Sendable, Equatable {
    /// Absolute path.
    public var path: String
    /// SHA-256 of the file.
    public var sha256: String
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Modification time, nanoseconds since 1970.
    public var modifiedNanoseconds: Int64
    /// Camera id.
    public var camera: String?
    /// Recording start (RFC 3339).
    public var recordedAt: String?
    /// Where the recording start came from, in words for the report.
    public var recordedAtSource: String?

    /// Creates an input description.
    public init(path: String, sha256: String, sizeBytes: Int64, modifiedNanoseconds: Int64,
                camera: String? = nil, recordedAt: String? = nil, recordedAtSource: String? = nil) {
        self.path = path
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.modifiedNanoseconds = modifiedNanoseconds
        self.camera = camera
        self.recordedAt = recordedAt
        self.recordedAtSource = recordedAtSource
    }
}

/// An input of a job as stored, with its status, lease and checkpoint.
public struct JobInputRecord: Sendable, Equatable {
    /// The job.
    public var jobID: Int64
    /// Position in the job (0-based, manifest order).
    public var ordinal: Int
    /// The footage as described at job creation.
    public var file: NewJobInput
    /// pending, running, done, partial or failed.
    public var status: String
    /// Why the input failed or was partial.
    public var error: String?
    /// Worker holding the lease.
    public var leaseOwner: String?
    /// Presentation time (ms) of the last committed sampled frame; nil before the first commit.
    public var checkpointMs: Int64?
    /// Sample ordinal of the last committed sampled frame.
    public var checkpointSample: Int64?
    /// The id the tracker gives its next new track.
    public var nextTrackID: Int64
    /// Decoded frame width (0 until known).
    public var frameWidth: Int
    /// Decoded frame height (0 until known).
    public var frameHeight: Int
    /// Duration in ms when known.
    public var durationMs: Int64?
    /// Sampled frames committed.
    public var framesSampled: Int64
    /// Faces committed.
    public var faces: Int64
    /// Hits committed.
    public var hits: Int64
    /// Frames the decoder reported damaged.
    public var damagedFrames: Int64
    /// Processing seconds, summed over runs.
    public var seconds: Double
    /// The motion gate's state after the checkpointed frame (nil: no gate, or no checkpoint yet).
    public var gateState: Data? = nil
}
