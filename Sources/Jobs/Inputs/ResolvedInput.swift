import Reports

/// One concrete input file after glob expansion, before hashing.
public struct ResolvedInput: Sendable, Equatable {
    /// Absolute path.
    public var path: String
    /// Index of the manifest's `inputs` entry that named it.
    public var specIndex: Int
    /// Camera id from that entry.
    public var camera: String?
    /// Recording start: the entry's `recorded_at`, or read from the file name.
    public var recordedAt: RecordingStart?
    /// Where `recordedAt` came from, in words for the report (nil without a start).
    public var recordedAtSource: String?

    /// Creates a resolved input.
    public init(path: String, specIndex: Int, camera: String?, recordedAt: RecordingStart?,
                recordedAtSource: String? = nil) {
        self.path = path
        self.specIndex = specIndex
        self.camera = camera
        self.recordedAt = recordedAt
        self.recordedAtSource = recordedAtSource ?? (recordedAt == nil ? nil : ResolvedInput.manifestSource)
    }

    /// The source of a start given by the manifest's `recorded_at`.
    public static let manifestSource = "manifest recorded_at"
}
