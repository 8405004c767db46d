import CFFmpeg

/// Decides which decoded frames a sampling policy keeps. It sees every decoded frame in
/// presentation order; its decisions depend only on a frame's index, its time and the frame just
/// before it, so a run that seeks (window, resume) keeps exactly the frames a full run keeps.
struct FrameSampler {
    private let policy: SamplingPolicy
    private let timeBase: AVRational
    private let rate: AVRational
    private var previousSlot: Int64?

    init(policy: SamplingPolicy, timeBase: AVRational) {
        self.policy = policy
        self.timeBase = timeBase
        if case .fps(let f) = policy { rate = av_d2q(f, 1_000_000) } else { rate = AVRational(num: 1, den: 1) }
    }

    /// The 1/F-second slot of a time under `.fps(F)` sampling, nil under other policies. A frame is
    /// kept when its slot is later than its predecessor's, so a frame that shares its slot with an
    /// earlier frame is never kept.
    func slot(relativePts: Int64) -> Int64? {
        if case .fps = policy { return fpsSlot(relativePts) }
        return nil
    }

    /// slot = floor(seconds × F), computed in integers: pts × tb.num × F.num / (tb.den × F.den).
    private func fpsSlot(_ relativePts: Int64) -> Int64 {
        av_rescale_rnd(relativePts, Int64(timeBase.num) * Int64(rate.num), Int64(timeBase.den) * Int64(rate.den),
                       AV_ROUND_DOWN)
    }

    /// Forgets the previous frame (after a seek the next frame has no known predecessor).
    mutating func reset() { previousSlot = nil }

    /// Whether the frame is kept. `relativePts` is the frame's pts minus the stream's start, in time-base units.
    mutating func keeps(index: Int64, relativePts: Int64, isKeyframe: Bool) -> Bool {
        switch policy {
        case .all: return true
        case .every(let n): return index % Int64(n) == 0
        case .keyframes: return isKeyframe
        case .fps:
            let slot = fpsSlot(relativePts)
            defer { previousSlot = max(previousSlot ?? slot, slot) }
            guard let previousSlot else { return true }
            return slot > previousSlot
        }
    }
}
