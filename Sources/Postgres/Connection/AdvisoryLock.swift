/// The 64-bit key of a PostgreSQL advisory lock. Name-based keys hash the name with FNV-1a, which
/// is stable across processes and versions (Swift's `hashValue` is not).
public struct AdvisoryLockKey: Hashable, Sendable, CustomStringConvertible {
    /// The key passed to `pg_advisory_lock` and friends.
    public let value: Int64

    /// A key from a number.
    public init(_ value: Int64) { self.value = value }

    /// A key from a name such as `facejob.migrations` or `sweep:nightly`.
    public init(name: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        value = Int64(bitPattern: hash)
    }

    public var description: String { "advisory lock \(value)" }
}

extension PostgresConnection {
    /// Takes a session-level advisory lock if it is free; true when taken. Held until unlocked or
    /// the connection closes; re-entrant (each lock needs its own unlock).
    public func tryAdvisoryLock(_ key: AdvisoryLockKey) throws -> Bool {
        try execute("SELECT pg_try_advisory_lock($1)", [.int8(key.value)]).scalar(Bool.self)
    }

    /// Takes a session-level advisory lock, waiting as long as another session holds it.
    public func advisoryLock(_ key: AdvisoryLockKey) throws {
        try execute("SELECT pg_advisory_lock($1)", [.int8(key.value)])
    }

    /// Releases a session-level advisory lock; false when this session did not hold it.
    @discardableResult
    public func advisoryUnlock(_ key: AdvisoryLockKey) throws -> Bool {
        try execute("SELECT pg_advisory_unlock($1)", [.int8(key.value)]).scalar(Bool.self)
    }

    /// Takes a transaction-level advisory lock if it is free (released at COMMIT/ROLLBACK); true when taken.
    public func tryAdvisoryTransactionLock(_ key: AdvisoryLockKey) throws -> Bool {
        try execute("SELECT pg_try_advisory_xact_lock($1)", [.int8(key.value)]).scalar(Bool.self)
    }

    /// Takes a transaction-level advisory lock, waiting while another session holds it.
    public func advisoryTransactionLock(_ key: AdvisoryLockKey) throws {
        try execute("SELECT pg_advisory_xact_lock($1)", [.int8(key.value)])
    }

    /// Runs `body` holding the session-level lock `key` (waiting for it), then releases it.
    public func withAdvisoryLock<T>(_ key: AdvisoryLockKey, _ body: () throws -> T) throws -> T {
        try advisoryLock(key)
        defer { _ = try? advisoryUnlock(key) }
        return try body()
    }
}
