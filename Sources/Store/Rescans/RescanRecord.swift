import Foundation
import Postgres

/// A rescan as stored: what it searches (job inputs, watchlist state, settings) and how far it got.
public struct RescanRecord: Sendable, Equatable {
    /// Database id (`R<id>` in reports and on the command line).
    public var id: Int64
    /// SHA-256 of what the rescan searches: the same key is the same rescan.
    public var key: String
    /// The watchlist searched.
    public var watchlistID: Int64
    /// Its name when the rescan was opened.
    public var watchlistName: String
    /// The watchlist's state the rescan searched (JSON, see `RescanWatchlistState`).
    public var watchlistStateJSON: String
    /// The jobs whose stored detections are searched.
    public var jobIDs: [Int64]
    /// Settings (JSON object).
    public var settingsJSON: String
    /// Where its reports go.
    public var reportDirectory: String
    /// `running`, `done`, `partial` or `failed`.
    public var status: String
    /// How many times it was started.
    public var runs: Int
    /// Inputs of the named jobs that were not rescanned, and why (JSON array of strings).
    public var skippedJSON: String
    /// Frames decoded for thumbnails, over all runs.
    public var framesDecoded: Int64
    /// When it was opened.
    public var createdAt: Date
    /// When it last finished.
    public var finishedAt: Date?

    /// True once every input was searched and the reports were written.
    public var isFinished: Bool { status == "done" || status == "partial" || status == "failed" }

    /// Inputs of the named jobs that were not rescanned, and why.
    public var skipped: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(skippedJSON.utf8))) ?? []
    }
}

/// One input of a rescan: a stored input of a finished job, with the rescan's checkpoint.
public struct RescanInputRecord: Sendable, Equatable {
    /// Position in the rescan (thumbnail names and report order use it).
    public var ordinal: Int
    /// The source job.
    public var jobID: Int64
    /// The input's position in its job.
    public var inputOrdinal: Int
    /// `pending`, `searched` (hits committed, thumbnails not yet cut), `done` or `partial`.
    public var status: String
    /// The last frame whose hits are committed.
    public var checkpointFrame: Int64?
    /// Stored faces searched so far.
    public var faces: Int64
    /// Hits so far.
    public var hits: Int64
    /// What went wrong with the footage (a changed or missing file: hits kept, no thumbnails).
    public var warning: String?
    /// Seconds spent.
    public var seconds: Double
}

/// What a rescan's watchlist looked like: the counters that change with every enrolment and
/// removal, so the same counters mean the same faces.
public struct RescanWatchlistState: Sendable, Equatable, Codable {
    /// Active (not removed) enrolled faces under the jobs' model.
    public var faces: Int
    /// Embeddings ever stored, removed ones included.
    public var embeddings: Int
    /// Removed (tombstoned) embeddings.
    public var removed: Int
    /// The newest embedding id.
    public var newestEmbeddingID: Int64
    /// The model the faces are compared under.
    public var model: String
    /// Its weights' SHA-256.
    public var modelSHA256: String

    /// A state.
    public init(faces: Int, embeddings: Int, removed: Int, newestEmbeddingID: Int64, model: String, modelSHA256: String) {
        self.faces = faces
        self.embeddings = embeddings
        self.removed = removed
        self.newestEmbeddingID = newestEmbeddingID
        self.model = model
        self.modelSHA256 = modelSHA256
    }

    enum CodingKeys: String, CodingKey {
        case faces, embeddings, removed, model
        case newestEmbeddingID = "newest_embedding_id"
        case modelSHA256 = "model_sha256"
    }

    /// One line for reports: `12 faces (14 enrolled, 2 removed; newest embedding 14), model …`.
    public var summary: String {
        "\(faces) faces (\(embeddings) enrolled, \(removed) removed; newest embedding \(newestEmbeddingID)), "
            + "model \(model) \(modelSHA256.prefix(12))"
    }
}
