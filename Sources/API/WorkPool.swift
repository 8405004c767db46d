import Foundation

/// The bounded pool all CPU and database work of the API runs on: `workers` threads, at most
/// `queueLimit` requests waiting. A burst beyond that is refused at once (503, Retry-After)
/// instead of piling up decoded images in memory.
public final class WorkPool: @unchecked Sendable {
    /// Threads running work.
    public let workers: Int
    /// Requests allowed to wait for a thread.
    public let queueLimit: Int
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var admitted = 0

    /// A pool of `workers` threads with room for `queueLimit` waiting requests.
    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        queue = DispatchQueue(label: "facejob.api.work", attributes: .concurrent)
        slots = DispatchSemaphore(value: max(1, workers))
    }

    /// Requests running or waiting.
    public var pending: Int {
        lock.lock()
        defer { lock.unlock() }
        return admitted
    }

    private func admit() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard admitted < workers + queueLimit else { return false }
        admitted += 1
        return true
    }

    /// Runs `body` on a pool thread; throws 503 when the pool and its queue are full.
    public func run<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard admit() else {
            throw APIError(.serviceUnavailable, "server busy: \(workers) workers and \(queueLimit) queued requests; retry later",
                           retryAfter: 1)
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                slots.wait()
                let result = Result { try body() }
                slots.signal()
                lock.lock()
                admitted -= 1
                lock.unlock()
                continuation.resume(with: result)
            }
        }
    }
}
