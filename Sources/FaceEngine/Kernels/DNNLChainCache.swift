import Foundation

/// Compiled `DNNLChain`s by layer and input shape, and the one workspace they share; a video's
/// frames and a batch's faces repeat a few shapes, so each is compiled once. Used by one thread at
/// a time (take one from a `ReusePool`).
final class DNNLChainCache {
    struct Key: Hashable {
        /// Which layers (a network, or one layer of one), numbered by the owner.
        let layers: Int
        let n, h, w: Int
    }

    private var chains = [Key: DNNLChain]()
    /// Why a key's chain could not be compiled: not tried again.
    private var failures = [Key: Error]()
    private var workspace: UnsafeMutablePointer<Float>?
    private(set) var workspaceFloats = 0
    /// More shapes than this (photos of many sizes) start the cache afresh; chains hold only weights.
    let limit: Int

    init(limit: Int) { self.limit = limit }

    deinit { workspace?.deallocate() }

    /// The chain for `key`, compiling `layers` for an input of `key.n x c x key.h x key.w` on first use.
    func chain(_ key: Key, c: Int, layers: () -> [DNNLLayer]) throws -> DNNLChain {
        if let chain = chains[key] { return chain }
        if let failure = failures[key] { throw failure }
        if chains.count >= limit { chains.removeAll() }
        do {
            let chain = try DNNLChain(layers(), n: key.n, c: c, h: key.h, w: key.w)
            chains[key] = chain
            return chain
        } catch {
            failures[key] = error
            throw error
        }
    }

    /// `chain` run on `input` (dense NCHW) into a new tensor of its output shape.
    func run(_ chain: DNNLChain, on input: Tensor) throws -> Tensor {
        let s = chain.outputShape
        var y = Tensor(uninitializedN: s.n, c: s.c, h: s.h, w: s.w)  // the chain writes every value
        try input.data.withUnsafeBufferPointer { src in
            try y.data.withUnsafeMutableBufferPointer { try run(chain, src.base, into: $0.base) }
        }
        return y
    }

    /// Runs `chain` from `src` into `dst` in this cache's workspace (grown as needed).
    func run(_ chain: DNNLChain, _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) throws {
        if chain.workspaceFloats > workspaceFloats || workspace == nil {
            workspace?.deallocate()
            workspaceFloats = max(chain.workspaceFloats, 16)
            workspace = UnsafeMutablePointer<Float>.allocate(capacity: workspaceFloats)
        }
        guard let workspace else { return }
        try chain.run(src, into: dst, workspace: workspace)
    }
}

/// Objects (scratch buffers, chain caches) kept between calls, one per call in flight, so a
/// worker thread that calls again and again reuses warm ones. Thread-safe; a call takes one out
/// and puts it back, unless `keep` says it grew too large to hold on to.
final class ReusePool<Item: AnyObject>: @unchecked Sendable {
    private var idle = [Item]()
    private let lock = NSLock()
    private let make: () -> Item
    private let keep: (Item) -> Bool

    init(make: @escaping () -> Item, keep: @escaping (Item) -> Bool = { _ in true }) {
        self.make = make
        self.keep = keep
    }

    /// Runs `body` with an item no other call is using.
    func with<R>(_ body: (Item) throws -> R) rethrows -> R {
        lock.lock()
        let item = idle.popLast() ?? make()
        lock.unlock()
        defer {
            if keep(item) {
                lock.lock()
                idle.append(item)
                lock.unlock()
            }
        }
        return try body(item)
    }
}
