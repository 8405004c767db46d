/// Decides, packet by packet, whether the decoder may drop a frame that the sampling will not keep
/// (`skip_frame = AVDISCARD_NONREF`): only frames no other frame predicts from can be dropped, so
/// every kept frame decodes to the same pixels.
///
/// Under `.fps(F)` a frame is kept only if it is the first of its 1/F-second slot. A packet whose
/// slot already holds an earlier-presented packet is therefore not kept, whatever order the packets
/// arrive in (B-frames arrive after later frames). Packets are judged by the packets read before
/// them; a packet whose predecessor has not been read yet is decoded. After damage, nothing is
/// dropped until the next keyframe: a lost frame must not take its slot's other frames with it.
struct NonReferenceSkip {
    /// Timestamps of the most recent packets read, oldest first.
    private var recent: [Int64] = []
    private let recentLimit = 64
    private var suspended = false

    /// Forgets what was read (after a seek).
    mutating func reset() {
        recent.removeAll(keepingCapacity: true)
        suspended = false
    }

    /// Stops dropping frames until the next keyframe packet.
    mutating func suspend() { suspended = true }

    /// Notes a packet with `timestamp` and says whether its frame may be dropped. `slot` maps a
    /// timestamp to its sampling slot (nil when the policy has no slots: nothing is dropped).
    mutating func packet(timestamp: Int64, isKeyframe: Bool, slot: (Int64) -> Int64?) -> Bool {
        if isKeyframe { suspended = false }
        defer {
            recent.append(timestamp)
            if recent.count > recentLimit { recent.removeFirst() }
        }
        guard !suspended, !isKeyframe, let own = slot(timestamp) else { return false }
        // The latest earlier-presented packet read so far: if it shares the slot, this frame is not
        // the slot's first. If a packet between them is still to come, it shares the slot too.
        guard let previous = recent.filter({ $0 < timestamp }).max() else { return false }
        return slot(previous) == own
    }
}
