import Reports

/// One concrete input file after glob expansion, before hashing.
public struct ResolvedInput: Sendable, Equatable {
    /// Absolute path.
    public var path: String
    /// Index of the manifest's `inputs` entry that named it.
    public var specIndex: Int
    /// Camera id from that entry.
    public var camera: String?
    /// Recording start from that entry.
    public var recordedAt: RecordingStart?

    /// Creates a resolved input.
    public init(path: String, specIndex: Int, camera: String?, recordedAt: RecordingStart?) {
        self.path = path
        self.specIndex = specIndex
        self.camera = camera
        self.recordedAt = recordedAt
    }
}
