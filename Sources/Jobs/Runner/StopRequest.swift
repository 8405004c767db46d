import Foundation

/// A request to stop at the next checkpoint, shared by the threads of one process: `facejob worker`
/// and `facejob serve` raise it on SIGTERM or SIGINT. Input workers then commit the batch in hand,
/// release their leases (the input is pending again, its checkpoint kept, so any worker resumes it at
/// once) and claim nothing more.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    /// A request not yet raised.
    public init() {}

    /// Asks every worker sharing this request to stop at its next checkpoint.
    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    /// Whether a stop was requested.
    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
