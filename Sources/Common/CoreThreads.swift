import Foundation

/// CPU-bound work spread over threads of its own rather than Dispatch's shared pool. On Linux the
/// pool counts threads blocked in the caller (an async command's task, a request handler) as busy
/// and only adds workers when its monitor notices, about half a second later, so work handed to it
/// from such a thread ran on one core for a while.
public enum CoreThreads {
    /// Stack of the threads `start` makes: the networks' forward passes and the decoder keep
    /// large frames on it (a secondary Foundation thread gets 512 KB by default).
    public static let stackSize = 8 << 20

    /// Runs `body` on a new thread of its own, named `name` (as profilers and `top -H` show it).
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }

    /// Runs blocking `body` on a new thread of its own and awaits its result, so the caller's
    /// cooperative thread stays free (Swift concurrency has as many as cores; a signal handler or an
    /// HTTP server waiting on one of them would otherwise wait for `body`).
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            start(name: name) { continuation.resume(with: Result { try body() }) }
        }
    }

    /// `body(i)` for every `i` in `0..<count`, on up to `threads` threads (the caller's among them),
    /// each taking the next index as it finishes one; the results in index order.
    public static func map<T>(_ count: Int, threads: Int = AvailableCores.count,
                              _ body: @escaping (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
        defer {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        let next = NSLock()
        var taken = 0
        let work = {
            while true {
                next.lock()
                let i = taken
                taken += 1
                next.unlock()
                guard i < count else { return }
                slots[i] = body(i)
            }
        }
        let helpers = max(0, min(threads, count) - 1)
        let finished = DispatchGroup()
        for _ in 0..<helpers {
            finished.enter()
            start(name: "facejob.cores") {
                work()
                finished.leave()
            }
        }
        work()
        finished.wait()
        // Every index was taken by exactly one thread and all have finished: no slot is empty.
        return (0..<count).map { i in
            guard let value = slots[i] else { preconditionFailure("CoreThreads.map: slot \(i) was never filled") }
            return value
        }
    }
}
