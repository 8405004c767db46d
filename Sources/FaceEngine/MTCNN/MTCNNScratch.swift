import Foundation

/// Float buffers one detection reuses for every layer, stage and pyramid level, instead of
/// allocating (and zero-filling) fresh tensors per layer. Contents are undefined on hand-out: every
/// kernel writes all it later reads.
final class MTCNNScratch {
    /// What each buffer holds while a network runs.
    enum Slot: Int, CaseIterable {
        /// The network's input (a pyramid band or a batch of patches).
        case input
        /// Activations, ping.
        case ping
        /// Activations, pong.
        case pong
        /// Intermediate activations of the oneDNN chain being run.
        case workspace
        /// The frame's pixels normalised once for every pyramid level (`AreaResizer.map`).
        case frame
    }

    private var pointers: [UnsafeMutablePointer<Float>?] = Array(repeating: nil, count: Slot.allCases.count)
    private var capacities = [Int](repeating: 0, count: Slot.allCases.count)

    /// A buffer of at least `count` floats; growing it discards its contents and any pointer handed out
    /// before for the same slot.
    func buffer(_ slot: Slot, count: Int) -> UnsafeMutablePointer<Float> {
        let i = slot.rawValue
        if let p = pointers[i], capacities[i] >= count { return p }
        pointers[i]?.deallocate()
        let capacity = max(count, 1)
        let p = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        pointers[i] = p
        capacities[i] = capacity
        return p
    }

    /// Compiled chains by network and input shape, reused detection after detection (a video's
    /// frames repeat the same shapes). Chains hold only their weights; activations live in the
    /// workspace slot.
    private var chains = [ChainKey: DNNLChain]()
    private struct ChainKey: Hashable {
        let network: MTCNNNetwork
        let n, h, w: Int
    }
    /// More shapes than this (photos of many sizes) start the cache afresh.
    static let chainLimit = 64

    /// The chain of `network` for an input of `n x c x h x w`, compiled on first use.
    func chain(_ network: MTCNNNetwork, layers: [DNNLLayer], n: Int, c: Int, h: Int, w: Int) throws -> DNNLChain {
        let key = ChainKey(network: network, n: n, h: h, w: w)
        if let chain = chains[key] { return chain }
        if chains.count >= Self.chainLimit { chains.removeAll() }
        let chain = try DNNLChain(layers, n: n, c: c, h: h, w: w)
        chains[key] = chain
        return chain
    }

    /// Floats held across all slots (pooled scratch larger than a frame's needs is dropped).
    var footprint: Int { capacities.reduce(0, +) }

    deinit {
        for p in pointers { p?.deallocate() }
    }
}

/// Scratch kept between detections, one per concurrently running call, so a worker thread that
/// detects frame after frame reuses warm buffers. Thread-safe; a call takes one out and returns it.
final class MTCNNScratchPool: @unchecked Sendable {
    private var idle = [MTCNNScratch]()
    private let lock = NSLock()
    /// Scratch larger than this many floats (after a huge image) is freed rather than kept.
    let keepLimit: Int

    init(keepLimit: Int = 16 << 20) { self.keepLimit = keepLimit }

    /// Runs `body` with a scratch no other call is using.
    func with<R>(_ body: (MTCNNScratch) throws -> R) rethrows -> R {
        lock.lock()
        let scratch = idle.popLast() ?? MTCNNScratch()
        lock.unlock()
        defer {
            if scratch.footprint <= keepLimit {
                lock.lock()
                idle.append(scratch)
                lock.unlock()
            }
        }
        return try body(scratch)
    }
}
