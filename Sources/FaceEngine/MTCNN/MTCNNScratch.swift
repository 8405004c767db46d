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
        /// The pyramid's bands and row sums while P-Net scans it (`PyramidSweep`).
        case pyramid
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

    /// Compiled chains by network and input shape, reused detection after detection.
    let chains = DNNLChainCache(limit: 512)

    /// The chain of `network` for an input of `n x c x h x w`, compiled on first use.
    func chain(_ network: MTCNNNetwork, layers: [DNNLLayer], n: Int, c: Int, h: Int, w: Int) throws -> DNNLChain {
        try chains.chain(.init(layers: network.rawValue, n: n, h: h, w: w), c: c) { layers }
    }

    /// Floats held across all slots (pooled scratch larger than a frame's needs is dropped).
    var footprint: Int { capacities.reduce(0, +) + chains.workspaceFloats }

    deinit {
        for p in pointers { p?.deallocate() }
    }
}
