import Foundation
import Logging
import Postgres
import Store

/// Keeps a worker's lease on an input alive while a batch is being analysed: a thread with its
/// own connection renews the lease every third of its length, so a batch may take longer than the
/// lease without another worker taking the input over. The heartbeat only proves the process is
/// alive; the lease owner check in the batch's commit stays the correctness guard (a worker whose
/// lease was taken over anyway commits nothing). A killed process stops beating, and its input is
/// claimable once the lease runs out.
final class LeaseHeartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var lost = false
    private let finished = DispatchSemaphore(value: 0)

    /// Starts beating for input `ordinal` of `jobID` held by `owner`; renewals are counted in
    /// `metrics` and logged (trace) to `logger`.
    init(connect: @escaping @Sendable () throws -> PostgresConnection, jobID: Int64, ordinal: Int, owner: String,
         leaseSeconds: Double, logger: Logger = WorkerEnvironment.silentLogger, metrics: JobMetrics = JobMetrics()) {
        let interval = max(0.05, leaseSeconds / 3)
        let thread = Thread { [self] in
            defer { finished.signal() }
            var connection: PostgresConnection?
            while waitOrStop(interval) {
                do {
                    if connection == nil { connection = try connect() }
                    guard let c = connection else { continue }
                    let held = try JobRepository(connection: c).heartbeat(jobID: jobID, ordinal: ordinal, owner: owner,
                                                                          leaseSeconds: leaseSeconds)
                    if !held {
                        logger.debug("lease renewal found the lease taken over by another worker")
                        markLost()
                        return
                    }
                    metrics.leaseRenewals.increment()
                    logger.trace("lease renewed", metadata: ["lease_seconds": .stringConvertible(leaseSeconds)])
                } catch {
                    // A database hiccup: try again on a new connection next time. If the lease runs out
                    // meanwhile, the commit finds out and discards the batch.
                    logger.warning("lease renewal failed; trying again on a new connection", metadata: ["error": .string("\(error)")])
                    connection = nil
                }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// True once a renewal found the lease taken over: the batch in hand will not commit.
    var isLost: Bool {
        condition.lock()
        defer { condition.unlock() }
        return lost
    }

    /// Stops beating and waits for the thread to end (its connection closes with it).
    func stop() {
        condition.lock()
        let wasStopped = stopped
        stopped = true
        condition.broadcast()
        condition.unlock()
        if !wasStopped { finished.wait() }
    }

    deinit { stop() }

    /// Waits `seconds`; false when stopped meanwhile.
    private func waitOrStop(_ seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !stopped, condition.wait(until: deadline) {}
        return !stopped
    }

    private func markLost() {
        condition.lock()
        lost = true
        condition.unlock()
    }
}
