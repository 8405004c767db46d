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
    private let tasks = TaskQueue()
    private let lock = NSLock()
    private var admitted = 0

    /// A pool of `workers` threads with room for `queueLimit` waiting requests.
    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        for n in 0..<self.workers {
            let thread = Thread { [tasks] in
                while let task = tasks.next() { task() }
            }
            thread.name = "facejob.api.work.\(n)"
            thread.stackSize = 8 << 20
            thread.start()
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
            tasks.add { [self] in
                let result = Result { try body() }
                lock.lock()
                admitted -= 1
                lock.unlock()
                continuation.resume(with: result)
            }
        }
    }
}

/// The pool's first-in, first-out list of admitted requests.
private final class TaskQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var tasks: [() -> Void] = []
    private var head = 0
    private var closed = false

    func add(_ task: @escaping () -> Void) {
        condition.lock()
        tasks.append(task)
        condition.signal()
        condition.unlock()
    }

    /// The next task, waiting for one; nil once closed and empty.
    func next() -> (() -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while head == tasks.count && !closed { condition.wait() }
        guard head < tasks.count else { return nil }
        let task = tasks[head]
        head += 1
        if head > 64 && head * 2 > tasks.count {
            tasks.removeFirst(head)
            head = 0
        }
        return task
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
