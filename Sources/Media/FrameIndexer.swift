/// Gives each decoded frame its presentation-order index: the number of the stream's packets whose
/// timestamp is lower than the frame's. Packets are counted as they are read, so frames the decoder
/// drops (damage) or never decodes (keyframes-only) still occupy their index, and every run over the
/// same file numbers the same frame the same way.
struct FrameIndexer {
    /// Packets known to precede the next frame.
    private var counted: Int64 = 0
    /// Timestamps of packets read but not yet passed by a frame, ascending. Small: reorder depth
    /// plus decoder delay.
    private var pending: [Int64] = []
    private let pendingLimit = 4096

    /// Starts counting after `base` packets that precede the first packet to be read.
    mutating func reset(base: Int64) {
        counted = base
        pending.removeAll(keepingCapacity: true)
    }

    /// Notes a packet read from the stream.
    mutating func packet(timestamp: Int64) {
        var low = 0, high = pending.count
        while low < high {
            let mid = (low + high) / 2
            if pending[mid] <= timestamp { low = mid + 1 } else { high = mid }
        }
        pending.insert(timestamp, at: low)
        if pending.count > pendingLimit {
            pending.removeFirst()
            counted += 1
        }
    }

    /// The index of a frame with timestamp `timestamp`; frames arrive in presentation order.
    mutating func frame(timestamp: Int64) -> Int64 {
        var passed = 0
        while passed < pending.count, pending[passed] < timestamp { passed += 1 }
        counted += Int64(passed)
        let index = counted
        if passed < pending.count, pending[passed] == timestamp {
            passed += 1
            counted += 1
        } else if passed == pending.count {
            // No packet carried this time (streams without timestamps): the frame counts itself.
            counted += 1
        }
        pending.removeFirst(passed)
        return index
    }
}
