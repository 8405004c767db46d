/// One problem met while demuxing or decoding, with where it happened.
public struct DecodeIssue: Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The demuxer could not read a packet (truncated or damaged container).
        case read
        /// The decoder rejected a packet.
        case decode
        /// The decoder returned a frame but flagged it as damaged (errors concealed).
        case damagedFrame = "damaged_frame"
        /// A frame had no timestamp; its time was guessed.
        case missingTimestamp = "missing_timestamp"
        /// A seek failed and the run fell back to decoding from the start.
        case seek
    }

    /// What went wrong.
    public let kind: Kind
    /// FFmpeg's or our description.
    public let message: String
    /// Byte offset in the file, when known.
    public let bytePosition: Int64?
    /// Presentation time in milliseconds, when known.
    public let ptsMs: Int64?

    /// `kind at byte B (t=T ms): message`.
    public var description: String {
        var text = kind.rawValue
        if let bytePosition { text += " at byte \(bytePosition)" }
        if let ptsMs { text += " (t=\(ptsMs) ms)" }
        return text + ": " + message
    }
}

/// Counters of one decoding run.
public struct DecodeStats: Sendable, Equatable {
    /// Video packets read from the container.
    public var packetsRead: Int64 = 0
    /// Frames the decoder produced.
    public var framesDecoded: Int64 = 0
    /// Frames returned to the caller.
    public var framesSampled: Int64 = 0
    /// Problems met (all of them; `VideoDecoder.issues` keeps the first few hundred in detail).
    public var issueCount: Int64 = 0
    /// Seeks performed to reach the start of the window or the resume point.
    public var seeks: Int = 0
}
