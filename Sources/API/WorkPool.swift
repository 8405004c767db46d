import Common
import Foundation

/// The bounded pool all CPU and database work of the API runs on: `workers` threads, at most
/// `queueLimit` requests waiting. A burst beyond that is refused at once (503, Retry-After)
/// instead of piling up decoded images in memory.
///
/// The workers are threads of the pool's own, taking requests in arrival order. Dispatch's shared
/// pool would count requests waiting for a worker as busy threads, and on Linux adds threads only
/// when its monitor notices, so a request's own parallel work (the exact scan's chunks) found no
/// free thread and ran on one core.
public final class WorkPool: @unchecked Sendable {
    /// Threads running work.
    public let workers: Int
    /// Requests allowed to wait for a thread.
    public let queueLimit: Int
    /// Admitted requests in arrival order (admission keeps them within its capacity).
    private let tasks: BoundedQueue<() -> Void>
    private let lock = NSLock()
    private var admitted = 0

    /// A pool of `workers` threads with room for `queueLimit` waiting requests.
    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        let tasks = BoundedQueue<() -> Void>(capacity: self.workers + self.queueLimit)
        self.tasks = tasks
        for n in 0..<self.workers {
            CoreThreads.start(name: "facejob.api.work.\(n)") {
                while let task = try? tasks.pop() { task() }
            }
        }
    }

    /// The workers end once the requests already admitted are done.
    deinit { tasks.close() }

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
            // Never refused: admission keeps the queue within its capacity, and it closes only in deinit.
            _ = tasks.push { [self] in
                let result = Result { try body() }
                lock.lock()
                admitted -= 1
                lock.unlock()
                continuation.resume(with: result)
            }
        }
    }
}

