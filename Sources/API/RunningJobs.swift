import Foundation

/// The ids of the jobs a server has queued or is running, shared between the job queue and the
/// request routes.
final class RunningJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<Int64>()

    func insert(_ id: Int64) {
        lock.lock()
        ids.insert(id)
        lock.unlock()
    }

    func remove(_ id: Int64) {
        lock.lock()
        ids.remove(id)
        lock.unlock()
    }

    func contains(_ id: Int64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return ids.contains(id)
    }
}
