/// Which decoded frames a run hands on to the pipeline.
public enum SamplingPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Every frame.
    case all
    /// Frames whose index is a multiple of N (frame 0, N, 2N, ...).
    case every(Int)
    /// At most F frames per second of presentation time: the first frame in each 1/F-second slot
    /// of the timeline, so variable-frame-rate input is sampled by time, not by count.
    case fps(Double)
    /// Keyframes only; the decoder discards every other frame without decoding it.
    case keyframes

    /// Parses `all`, `every:N`, `fps:F` or `keyframes`.
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first ?? "", parts.count > 1 ? parts[1] : nil) {
        case ("all", nil): self = .all
        case ("keyframes", nil), ("key", nil): self = .keyframes
        case ("every", let value?):
            guard let n = Int(value), n >= 1 else {
                throw MediaError.invalidOption("--sample every:N needs a whole number N >= 1, got \"\(value)\"")
            }
            self = .every(n)
        case ("fps", let value?):
            guard let f = Double(value), f > 0, f.isFinite, f <= 1000 else {
                throw MediaError.invalidOption("--sample fps:F needs a rate 0 < F <= 1000, got \"\(value)\"")
            }
            self = .fps(f)
        default:
            throw MediaError.invalidOption("unknown sampling policy \"\(text)\"; use all, every:N, fps:F or keyframes")
        }
    }

    /// The policy in the form `init(parsing:)` accepts.
    public var description: String {
        switch self {
        case .all: return "all"
        case .every(let n): return "every:\(n)"
        case .fps(let f): return "fps:\(f.rounded() == f ? String(Int(f)) : String(f))"
        case .keyframes: return "keyframes"
        }
    }
}
