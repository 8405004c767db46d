/// How a `VideoDecoder` run decodes, which frames it hands on, and where it starts and stops.
public struct DecodeOptions: Sendable {
    /// Which decoded frames are returned.
    public var sampling: SamplingPolicy = .all
    /// Start of the time window in milliseconds (inclusive); reached by seeking.
    public var fromMs: Int64?
    /// End of the time window in milliseconds (inclusive); decoding stops after it.
    public var toMs: Int64?
    /// Resume point: only frames presented strictly after this time are returned, exactly the frames
    /// an uninterrupted run returns after it. Pass the last checkpointed frame's `ptsMs`.
    public var resumeAfterMs: Int64?
    /// Cap on the longer side of returned images; frames are scaled down to it.
    public var maxSide: Int?
    /// Decoder threads; 0 lets FFmpeg use one per core.
    public var threads: Int = 0
    /// Colour conversion quality for returned frames.
    public var quality: ConversionQuality = .fast
    /// When false, sampled frames carry no image (decode-only timing, listing timestamps).
    public var convertToRGB: Bool = true
    /// Turns frames upright according to the stream's rotation metadata (as the ffmpeg CLI does).
    public var applyRotation: Bool = true
    /// Lets the decoder drop frames that no other frame references and that the sampling will not
    /// keep (`fps:F` sampling only; `NonReferenceSkip` says which). Kept frames are unchanged.
    public var skipUnsampledFrames: Bool = true
    /// When set, exactly these frame indices are returned, whatever `sampling` says, and decoding
    /// stops after the last of them: thumbnails of stored hits are cut this way, with `fromMs` at
    /// the first one so that only its keyframe's group is decoded before it.
    public var frames: Set<Int64>?

    /// Default options: every frame, whole file, RGB at source size, automatic threads.
    public init() {}

    /// The first presentation time (ms) a frame may have to be returned, if the run does not start at 0.
    var startMs: Int64? {
        switch (fromMs, resumeAfterMs) {
        case (nil, nil): return nil
        case (let from?, nil): return from
        case (nil, let resume?): return resume + 1
        case (let from?, let resume?): return max(from, resume + 1)
        }
    }

    /// Rejects option combinations that cannot select anything.
    func validate() throws {
        if let fromMs, fromMs < 0 { throw MediaError.invalidOption("--from must not be negative") }
        if let fromMs, let toMs, toMs < fromMs {
            throw MediaError.invalidOption("the window is empty: --to (\(toMs) ms) is before --from (\(fromMs) ms)")
        }
        if let maxSide, maxSide < 1 { throw MediaError.invalidOption("maxSide must be at least 1, got \(maxSide)") }
        if threads < 0 { throw MediaError.invalidOption("--threads must not be negative") }
        if case .every(let n) = sampling, n < 1 { throw MediaError.invalidOption("every:N needs N >= 1") }
        if case .fps(let f) = sampling, !(f > 0 && f.isFinite) { throw MediaError.invalidOption("fps:F needs F > 0") }
    }
}
