/// Everything a report says about the job itself: identity, provenance, inputs, settings, timings.
public struct ReportHeader: Sendable, Equatable {
    /// The manifest's job name.
    public var jobName: String
    /// The job's id in the database.
    public var jobID: String
    /// SHA-256 of the manifest's canonical form (the job's identity together with its name).
    public var manifestHash: String
    /// facejob version that produced the results.
    public var facejobVersion: String
    /// When the report was generated (RFC 3339); supplied by the caller so output is reproducible.
    public var generatedAt: String
    /// Models used, each with its weights hash.
    public var models: [ReportModel]
    /// Every input of the job, in the job's input order.
    public var inputs: [ReportInput]
    /// Effective settings, flattened to `section.key = value` pairs in a stable order.
    public var settings: [ReportSetting]
    /// Wall time spent per stage.
    public var timings: [ReportTiming]
    /// Set when the report is a rescan's: stored faces searched again, nothing decoded.
    public var rescan: ReportRescan?

    /// Creates a header.
    public init(jobName: String, jobID: String, manifestHash: String, facejobVersion: String,
                generatedAt: String, models: [ReportModel], inputs: [ReportInput],
                settings: [ReportSetting], timings: [ReportTiming], rescan: ReportRescan? = nil) {
        self.jobName = jobName
        self.jobID = jobID
        self.manifestHash = manifestHash
        self.facejobVersion = facejobVersion
        self.generatedAt = generatedAt
        self.models = models
        self.inputs = inputs
        self.settings = settings
        self.timings = timings
        self.rescan = rescan
    }

    /// Each input's position in the job, by path (the first one for a path listed twice).
    public var inputOrdinals: [String: Int] {
        Dictionary(inputs.enumerated().map { ($0.element.path, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }
}

/// One model the job ran, e.g. role `embedding`, name `dlib_resnet_v1`.
public struct ReportModel: Sendable, Equatable {
    /// What the model does: `detection`, `landmarks`, `embedding`.
    public var role: String
    /// Model name as in the manifest and model folder.
    public var name: String
    /// SHA-256 of the converted weights file.
    public var weightsSHA256: String

    /// Creates a model entry.
    public init(role: String, name: String, weightsSHA256: String) {
        self.role = role
        self.name = name
        self.weightsSHA256 = weightsSHA256
    }
}

/// One input file of the job with its evidence hash, status and counters.
public struct ReportInput: Sendable, Equatable {
    /// Absolute path of the file as processed.
    public var path: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// File size in bytes.
    public var sizeBytes: Int64
    /// Camera id from the manifest, if any.
    public var camera: String?
    /// Recording start from the manifest, if any.
    public var recordedAt: RecordingStart?
    /// Where the recording start came from (the manifest's `recorded_at`, the file name with a
    /// pattern), so the analyst knows what every wall-clock time rests on.
    public var recordedAtSource: String?
    /// `pending`, `running`, `done`, `partial` or `failed`.
    public var status: String
    /// What went wrong, for `partial` and `failed` inputs.
    public var error: String?
    /// Frames sampled and searched.
    public var framesSampled: Int64
    /// Faces detected in the sampled frames.
    public var faces: Int64
    /// Hits reported for this input.
    public var hits: Int64

    /// Creates an input entry.
    public init(path: String, sha256: String, sizeBytes: Int64, camera: String? = nil,
                recordedAt: RecordingStart? = nil, status: String, error: String? = nil,
                framesSampled: Int64 = 0, faces: Int64 = 0, hits: Int64 = 0, recordedAtSource: String? = nil) {
        self.path = path
        self.recordedAtSource = recordedAtSource
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.camera = camera
        self.recordedAt = recordedAt
        self.status = status
        self.error = error
        self.framesSampled = framesSampled
        self.faces = faces
        self.hits = hits
    }
}

/// One effective setting, e.g. `search.threshold` = `0.6`.
public struct ReportSetting: Sendable, Equatable {
    /// Dotted name.
    public var name: String
    /// Value as text.
    public var value: String

    /// Creates a setting entry.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Wall time of one stage of the job, e.g. `decode`, `embed`, `total`.
public struct ReportTiming: Sendable, Equatable {
    /// Stage name.
    public var stage: String
    /// Seconds spent.
    public var seconds: Double

    /// Creates a timing entry.
    public init(stage: String, seconds: Double) {
        self.stage = stage
        self.seconds = seconds
    }
}

/// What a rescan's report says about itself: that it is a rescan, of which jobs, against which
/// watchlist state, and what it could not do.
public struct ReportRescan: Sendable, Equatable {
    /// `R<id>`.
    public var id: String
    /// The jobs whose stored faces were searched, as `id "name"`.
    public var jobs: [String]
    /// The watchlist searched.
    public var watchlist: String
    /// Its state when searched: faces, removals, newest embedding, model.
    public var watchlistState: String
    /// Inputs of those jobs that were not rescanned, and why.
    public var skipped: [String]
    /// Problems with the footage (a file changed or missing: hits kept, no thumbnail).
    public var warnings: [String]
    /// Frames decoded to cut thumbnails (nothing else is decoded).
    public var framesDecoded: Int64

    /// A rescan section.
    public init(id: String, jobs: [String], watchlist: String, watchlistState: String, skipped: [String],
                warnings: [String], framesDecoded: Int64) {
        self.id = id
        self.jobs = jobs
        self.watchlist = watchlist
        self.watchlistState = watchlistState
        self.skipped = skipped
        self.warnings = warnings
        self.framesDecoded = framesDecoded
    }
}
