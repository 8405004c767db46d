import Common
import Reports

/// A job manifest: what footage to search, against which watchlist, with which settings.
/// Built by `ManifestValidator` (which checks every field and fills in defaults); Codable with the
/// manifest's own snake_case keys so it can be stored with the job and read back.
public struct Manifest: Sendable, Equatable, Codable {
    /// Job name; with the manifest hash it identifies the job.
    public var name: String
    /// PostgreSQL URL; nil means the embedded database (or `FACEJOB_DATABASE_URL`).
    public var database: String?
    /// Watchlist to search against.
    public var watchlist: String
    /// Footage, in manifest order.
    public var inputs: [InputSpec]
    /// Which frames are searched.
    public var sampling: Sampling
    /// Face detector settings.
    public var detector: DetectorSettings
    /// Embedding model name.
    public var model: String
    /// Watchlist search settings.
    public var search: SearchSettings
    /// Track association settings.
    public var tracking: TrackingSettings
    /// Report output settings.
    public var report: ReportSettings
    /// Inputs processed in parallel; nil means one per CPU core.
    public var workers: Int?
    /// Unknown persons: when set and enabled, the job groups its unmatched tracks at the end.
    public var unknowns: UnknownsSettings?

    /// The embedding model used when the manifest names none.
    public static let defaultModel = "dlib_resnet_v1"
    /// Embedding models this version knows.
    public static let knownModels = ["dlib_resnet_v1"]

    /// Creates a manifest; defaults match what the validator fills in.
    public init(name: String, database: String? = nil, watchlist: String, inputs: [InputSpec],
                sampling: Sampling = Sampling(), detector: DetectorSettings = DetectorSettings(),
                model: String = Manifest.defaultModel, search: SearchSettings = SearchSettings(),
                tracking: TrackingSettings = TrackingSettings(), report: ReportSettings, workers: Int? = nil,
                unknowns: UnknownsSettings? = nil) {
        self.name = name
        self.database = database
        self.watchlist = watchlist
        self.inputs = inputs
        self.sampling = sampling
        self.detector = detector
        self.model = model
        self.search = search
        self.tracking = tracking
        self.report = report
        self.workers = workers
        self.unknowns = unknowns
    }

    /// Effective settings as `section.key = value` pairs, in a fixed order, for report headers.
    public var reportSettings: [ReportSetting] {
        func s(_ n: String, _ v: String) -> ReportSetting { ReportSetting(name: n, value: v) }
        var out = [s("watchlist", watchlist), s("model", model)]
        switch sampling.mode {
        case .everyN(let n): out.append(s("sampling.every_n", String(n)))
        case .fps(let f): out.append(s("sampling.fps", "\(f)"))
        case .keyframes: out.append(s("sampling.keyframes", "true"))
        }
        out.append(s("sampling.window.from", "\(sampling.window.from)"))
        out.append(s("sampling.window.to", sampling.window.to.map { "\($0)" } ?? "end"))
        out.append(s("detector.min_face", String(detector.minFace)))
        out.append(s("detector.thresholds", detector.thresholds.map { "\($0)" }.joined(separator: ",")))
        out.append(s("detector.max_side", detector.maxSide.map(String.init) ?? "none"))
        out.append(s("search.method", search.method.rawValue))
        out.append(s("search.metric", search.metric.rawValue))
        out.append(s("search.k", String(search.k)))
        out.append(s("search.threshold", "\(search.threshold)"))
        if search.method == .ann { out.append(s("search.index_factory", search.indexFactory)) }
        out.append(s("tracking.iou", "\(tracking.iou)"))
        out.append(s("tracking.max_gap_frames", String(tracking.maxGapFrames)))
        out.append(s("tracking.max_distance", "\(tracking.maxDistance)"))
        out.append(s("report.formats", report.formats.map(\.rawValue).joined(separator: ",")))
        out.append(s("report.thumbnails", report.thumbnails ? "true" : "false"))
        if report.clips { out.append(s("report.clips", "true")) }
        if let u = unknowns, u.enabled {
            out.append(s("unknowns.threshold", "\(u.threshold)"))
            out.append(s("unknowns.best_faces", String(u.bestFaces)))
            out.append(s("unknowns.min_faces", String(u.minFaces)))
        }
        return out
    }
}

/// One entry of `inputs`: a file or a glob, with optional camera id and recording start.
public struct InputSpec: Sendable, Equatable, Codable {
    /// Where the footage is.
    public enum Source: Sendable, Equatable {
        /// One file.
        case path(String)
        /// Every regular file matching a glob (`*`, `?`, `**`, `[...]`).
        case glob(String)
    }

    /// The file or glob.
    public var source: Source
    /// Camera id reported with every hit from this input.
    public var camera: String?
    /// When the recording started; gives hits a wall-clock time. Only for `path` inputs.
    public var recordedAt: RecordingStart?
    /// How each file of a glob names its recording start. Only for `glob` inputs.
    public var recordedAtFromName: FileNameTime?

    /// Creates an input entry.
    public init(source: Source, camera: String? = nil, recordedAt: RecordingStart? = nil,
                recordedAtFromName: FileNameTime? = nil) {
        self.source = source
        self.camera = camera
        self.recordedAt = recordedAt
        self.recordedAtFromName = recordedAtFromName
    }

    enum CodingKeys: String, CodingKey {
        case path, glob, camera, recordedAt = "recorded_at", recordedAtFromName = "recorded_at_from_name"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let p = try c.decodeIfPresent(String.self, forKey: .path) {
            source = .path(p)
        } else {
            source = .glob(try c.decode(String.self, forKey: .glob))
        }
        camera = try c.decodeIfPresent(String.self, forKey: .camera)
        recordedAt = try c.decodeIfPresent(RecordingStart.self, forKey: .recordedAt)
        recordedAtFromName = try c.decodeIfPresent(FileNameTime.self, forKey: .recordedAtFromName)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch source {
        case .path(let p): try c.encode(p, forKey: .path)
        case .glob(let g): try c.encode(g, forKey: .glob)
        }
        try c.encodeIfPresent(camera, forKey: .camera)
        try c.encodeIfPresent(recordedAt, forKey: .recordedAt)
        try c.encodeIfPresent(recordedAtFromName, forKey: .recordedAtFromName)
    }
}

/// Which frames of each input are searched, and the part of the recording considered.
public struct Sampling: Sendable, Equatable, Codable {
    /// How frames are picked.
    public enum Mode: Sendable, Equatable {
        /// Every n-th decoded frame (1 = every frame).
        case everyN(Int)
        /// About this many frames per second of presentation time.
        case fps(Double)
        /// Key frames only (fastest; spacing depends on the encoder).
        case keyframes
    }

    /// How frames are picked; default every frame.
    public var mode: Mode
    /// The part of each recording to search; default all of it.
    public var window: TimeWindow

    /// Creates sampling settings.
    public init(mode: Mode = .everyN(1), window: TimeWindow = TimeWindow()) {
        self.mode = mode
        self.window = window
    }

    enum CodingKeys: String, CodingKey { case everyN = "every_n", fps, keyframes, window }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let n = try c.decodeIfPresent(Int.self, forKey: .everyN) {
            mode = .everyN(n)
        } else if let f = try c.decodeIfPresent(Double.self, forKey: .fps) {
            mode = .fps(f)
        } else if try c.decodeIfPresent(Bool.self, forKey: .keyframes) == true {
            mode = .keyframes
        } else {
            mode = .everyN(1)
        }
        window = try c.decodeIfPresent(TimeWindow.self, forKey: .window) ?? TimeWindow()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch mode {
        case .everyN(let n): try c.encode(n, forKey: .everyN)
        case .fps(let f): try c.encode(f, forKey: .fps)
        case .keyframes: try c.encode(true, forKey: .keyframes)
        }
        try c.encode(window, forKey: .window)
    }
}

/// A span of presentation time in seconds: `[from, to)`; `to` nil means to the end.
public struct TimeWindow: Sendable, Equatable, Codable {
    /// Start in seconds from the beginning of the recording.
    public var from: Double
    /// End in seconds, exclusive; nil for the end of the recording.
    public var to: Double?

    /// Creates a window.
    public init(from: Double = 0, to: Double? = nil) {
        self.from = from
        self.to = to
    }
}

/// MTCNN detector settings.
public struct DetectorSettings: Sendable, Equatable, Codable {
    /// Smallest face searched for, in pixels (of the frame after `max_side` scaling).
    public var minFace: Int
    /// P-Net, R-Net, O-Net score thresholds.
    public var thresholds: [Double]
    /// Frames whose longer side exceeds this are scaled down before detection; nil = never.
    public var maxSide: Int?
    /// Motion-gated detection (`MotionGate`).
    public var motionGate: MotionGateSettings

    /// Creates detector settings; defaults are MTCNN's published ones.
    public init(minFace: Int = 20, thresholds: [Double] = [0.6, 0.7, 0.7], maxSide: Int? = nil,
                motionGate: MotionGateSettings = MotionGateSettings()) {
        self.minFace = minFace
        self.thresholds = thresholds
        self.maxSide = maxSide
        self.motionGate = motionGate
    }

    enum CodingKeys: String, CodingKey { case minFace = "min_face", thresholds, maxSide = "max_side", motionGate = "motion_gate" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minFace = try c.decode(Int.self, forKey: .minFace)
        thresholds = try c.decode([Double].self, forKey: .thresholds)
        maxSide = try c.decodeIfPresent(Int.self, forKey: .maxSide)
        // Jobs stored before the gate existed ran without it.
        motionGate = try c.decodeIfPresent(MotionGateSettings.self, forKey: .motionGate) ?? MotionGateSettings(enabled: false)
    }
}

/// Where the detector looks: `detector.motion_gate` of a manifest. See `MotionGate`.
public struct MotionGateSettings: Sendable, Equatable, Codable {
    /// Off: every sampled frame is searched whole.
    public var enabled: Bool
    /// Seconds between full-frame passes (faces that stood still since the last one are found there).
    public var refreshSeconds: Double
    /// How far (0–255 luma levels) a 16x16 cell's mean must move from the background to count as changed.
    public var threshold: Double
    /// Margin around changed cells, as a fraction of the frame's longer side.
    public var margin: Double
    /// Above this fraction of changed cells the whole frame is searched (a cut, a moving camera).
    public var fullAbove: Double

    /// The defaults.
    public init(enabled: Bool = MotionGateSettings.enabledByDefault, refreshSeconds: Double = 2, threshold: Double = 10,
                margin: Double = 0.02, fullAbove: Double = 0.4) {
        self.enabled = enabled
        self.refreshSeconds = refreshSeconds
        self.threshold = threshold
        self.margin = margin
        self.fullAbove = fullAbove
    }

    /// Whether a manifest that does not mention the gate gets it.
    public static let enabledByDefault = true

    enum CodingKeys: String, CodingKey {
        case enabled, threshold, margin
        case refreshSeconds = "refresh_seconds", fullAbove = "full_above"
    }
}

/// Watchlist search settings.
public struct SearchSettings: Sendable, Equatable, Codable {
    /// Exact (all embeddings, one sgemm per batch) or approximate (FAISS index, re-ranked exactly).
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Every enrolled embedding, batched sgemm.
        case exact
        /// FAISS index, candidates re-ranked exactly.
        case ann
    }
    /// Distance between embeddings.
    public enum Metric: String, Sendable, Codable, CaseIterable {
        /// Euclidean (L2) distance, dlib's own metric.
        case euclidean
        /// 1 − cosine similarity.
        case cosine
        /// The calibrated default threshold of the dlib ResNet model for this metric.
        public var defaultThreshold: Double { self == .euclidean ? 0.6 : 0.07 }
    }

    /// Search method; default exact.
    public var method: Method
    /// Distance metric; default euclidean.
    public var metric: Metric
    /// Candidates per face; default 1.
    public var k: Int
    /// A candidate is a hit when its distance is at most this.
    public var threshold: Double
    /// FAISS index factory string for `ann`.
    public var indexFactory: String

    /// The FAISS index used when the manifest names none.
    public static let defaultIndexFactory = "HNSW32,Flat"

    /// Creates search settings.
    public init(method: Method = .exact, metric: Metric = .euclidean, k: Int = 1, threshold: Double? = nil,
                indexFactory: String = SearchSettings.defaultIndexFactory) {
        self.method = method
        self.metric = metric
        self.k = k
        self.threshold = threshold ?? metric.defaultThreshold
        self.indexFactory = indexFactory
    }

    enum CodingKeys: String, CodingKey { case method, metric, k, threshold, indexFactory = "index_factory" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decodeIfPresent(Method.self, forKey: .method) ?? .exact
        metric = try c.decodeIfPresent(Metric.self, forKey: .metric) ?? .euclidean
        k = try c.decodeIfPresent(Int.self, forKey: .k) ?? 1
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? metric.defaultThreshold
        indexFactory = try c.decodeIfPresent(String.self, forKey: .indexFactory) ?? Self.defaultIndexFactory
    }

    /// Writes `index_factory` only for `ann`, where the manifest allows it.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(metric, forKey: .metric)
        try c.encode(k, forKey: .k)
        try c.encode(threshold, forKey: .threshold)
        if method == .ann { try c.encode(indexFactory, forKey: .indexFactory) }
    }
}

/// How faces in consecutive sampled frames are linked into tracks.
public struct TrackingSettings: Sendable, Equatable, Codable {
    /// Minimum box overlap (intersection over union) with the track's last box; 0 disables the gate.
    public var iou: Double
    /// Sampled frames a track may go unseen and still continue.
    public var maxGapFrames: Int
    /// Maximum embedding distance between a face and the track's last face.
    public var maxDistance: Double

    /// Creates tracking settings.
    public init(iou: Double = 0.3, maxGapFrames: Int = 5, maxDistance: Double = 0.5) {
        self.iou = iou
        self.maxGapFrames = maxGapFrames
        self.maxDistance = maxDistance
    }

    enum CodingKeys: String, CodingKey { case iou, maxGapFrames = "max_gap_frames", maxDistance = "max_distance" }
}

/// Where and how reports are written.
public struct ReportSettings: Sendable, Equatable, Codable {
    /// Report folder as written in the manifest (relative paths are against the manifest's folder).
    public var directory: String
    /// Formats, in csv, json, html order.
    public var formats: [ReportFormat]
    /// Whether face thumbnails are written to `thumbs/`.
    public var thumbnails: Bool
    /// Whether each sighting gets an evidence clip in `clips/` (its span ±2 s, stream copy).
    public var clips: Bool = false

    /// Creates report settings.
    public init(directory: String, formats: [ReportFormat] = ReportFormat.allCases, thumbnails: Bool = true,
                clips: Bool = false) {
        self.directory = directory
        self.formats = formats
        self.thumbnails = thumbnails
        self.clips = clips
    }

    enum CodingKeys: String, CodingKey { case directory, formats, thumbnails, clips }

    /// Reads stored settings; manifests stored before clips existed have none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        directory = try c.decode(String.self, forKey: .directory)
        formats = try c.decode([ReportFormat].self, forKey: .formats)
        thumbnails = try c.decode(Bool.self, forKey: .thumbnails)
        clips = try c.decodeIfPresent(Bool.self, forKey: .clips) ?? false
    }

    /// Writes `clips` only when on, so manifests without clips keep their stored form.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(directory, forKey: .directory)
        try c.encode(formats, forKey: .formats)
        try c.encode(thumbnails, forKey: .thumbnails)
        if clips { try c.encode(clips, forKey: .clips) }
    }

    /// The default folder for a job: `reports/<job name>` beside the manifest.
    public static func defaultDirectory(jobName: String) -> String { "reports/" + jobName }
}

/// `unknowns` of a manifest: group the job's unmatched tracks into unknown persons when it ends
/// (see `UnknownsRunner`; `facejob unknowns` does the same for any finished jobs).
public struct UnknownsSettings: Sendable, Equatable, Codable {
    /// Whether the job groups its unknown persons.
    public var enabled = true
    /// Link distance between two tracks' representatives.
    public var threshold = 0.55
    /// Faces averaged to represent a track.
    public var bestFaces = 5
    /// Tracks with fewer faces are left out.
    public var minFaces = 2

    /// Defaults (enabled).
    public init() {}

    enum CodingKeys: String, CodingKey { case enabled, threshold, bestFaces = "best_faces", minFaces = "min_faces" }
}
