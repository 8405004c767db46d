import Common
/// One sampled video frame with its position on the source's timeline.
public struct VideoFrame: Sendable {
    /// Presentation-order index of the frame in the stream, from 0; identical whether the run started
    /// at the beginning, seeked to a window or resumed.
    public let index: Int64
    /// Presentation time in milliseconds since the stream's first frame, from `pts × time_base`.
    public let ptsMs: Int64
    /// The raw timestamp in `timeBase` units (as stored in the file).
    public let pts: Int64
    /// The stream's time base as (numerator, denominator) seconds.
    public let timeBase: (num: Int32, den: Int32)
    /// False when the frame carried no pts and the time was FFmpeg's best-effort guess.
    public let timestampIsExact: Bool
    /// True for a keyframe (intra frame).
    public let isKeyframe: Bool
    /// True when the decoder reported damage in this frame (concealed errors).
    public let isDamaged: Bool
    /// The picture as 8-bit RGB, upright when rotation is applied; nil when conversion is off.
    public let image: RGBImage?
}
