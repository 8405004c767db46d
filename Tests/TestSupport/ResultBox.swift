import Foundation

/// Collects results from concurrent workers.
public final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    /// Versions (or other numbers) the workers reported.
    public private(set) var applied: [Int] = []
    /// Errors the workers reported.
    public private(set) var errors: [String] = []

    /// An empty box.
    public init() {}

    /// Adds a worker's numbers.
    public func add(_ versions: [Int]) { lock.lock(); applied += versions; lock.unlock() }
    /// Adds a worker's error.
    public func fail(_ message: String) { lock.lock(); errors.append(message); lock.unlock() }
}
