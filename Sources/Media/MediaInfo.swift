/// What a container holds, as `facejob probe` reports it.
public struct MediaInfo: Sendable, Codable, Equatable {
    /// The file.
    public var path: String
    /// Demuxer name (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `avi`, `mpegts`, `image2`, ...).
    public var container: String
    /// Total duration in seconds, when the container states it.
    public var durationSeconds: Double?
    /// Overall bit rate in bits per second, when known.
    public var bitRate: Int64?
    /// File size in bytes.
    public var sizeBytes: Int64
    /// Every stream in the file.
    public var streams: [StreamInfo]
    /// Index (into `streams`) of the video stream facejob decodes, if any.
    public var videoStream: Int?
}

/// One stream of a container.
public struct StreamInfo: Sendable, Codable, Equatable {
    /// Position in the container.
    public var index: Int
    /// `video`, `audio`, `subtitle`, `data` or `attachment`.
    public var kind: String
    /// Codec short name (`h264`, `hevc`, `mpeg4`, `mjpeg`, `aac`, ...).
    public var codec: String
    /// Picture width in pixels (video).
    public var width: Int?
    /// Picture height in pixels (video).
    public var height: Int?
    /// Pixel format name (video).
    public var pixelFormat: String?
    /// Average frame rate in frames per second (video), when known.
    public var frameRate: Double?
    /// Time base as `num/den` seconds.
    public var timeBase: String
    /// Frame count the container states (0 or nil when it does not).
    public var frameCount: Int64?
    /// Stream duration in seconds, when known.
    public var durationSeconds: Double?
    /// Clockwise rotation the display matrix asks for (video), in degrees.
    public var rotation: Int?
    /// Sample rate in Hz (audio).
    public var sampleRate: Int?
    /// Channel count (audio).
    public var channels: Int?
}

/// Keyframe statistics from reading packets (no decoding).
public struct KeyframeSummary: Sendable, Codable, Equatable {
    /// Video packets read.
    public var packets: Int64
    /// Keyframe packets among them.
    public var keyframes: Int64
    /// Mean distance between keyframes, in frames.
    public var meanInterval: Double?
    /// Largest distance between consecutive keyframes, in frames.
    public var maxInterval: Int64?
    /// True when the whole stream was read, false when the scan stopped at its packet limit.
    public var complete: Bool
}
