import Common
import Foundation

/// A bounded pool of pixel buffers, so decoding a long video reuses a few buffers instead of
/// allocating one per frame. Give a frame's buffer back with `recycle(_:)` once you are done with it;
/// a buffer that is still referenced elsewhere is simply copied on write, never overwritten under you.
public final class FramePool: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [[UInt8]] = []
    /// The most buffers kept for reuse.
    public let capacity: Int

    /// A pool keeping at most `capacity` spare buffers.
    public init(capacity: Int = 8) { self.capacity = max(0, capacity) }

    /// Returns a finished image's buffer to the pool.
    public func recycle(_ image: RGBImage) {
        lock.lock(); defer { lock.unlock() }
        if buffers.count < capacity { buffers.append(image.pixels) }
    }

    /// The number of spare buffers held now.
    public var spareCount: Int {
        lock.lock(); defer { lock.unlock() }
        return buffers.count
    }

    /// A spare buffer of exactly `count` bytes, or nil when there is none (the caller allocates).
    func take(count: Int) -> [UInt8]? {
        lock.lock(); defer { lock.unlock() }
        if let index = buffers.lastIndex(where: { $0.count == count }) { return buffers.remove(at: index) }
        // Sizes changed (new stream geometry): drop stale buffers rather than keep them forever.
        buffers.removeAll()
        return nil
    }
}
