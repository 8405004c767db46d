import CLibPQ
import Foundation

/// A small thread-safe pool of connections for concurrent workers and the API: at most
/// `maxConnections` are open; callers beyond that wait for one to be returned. A connection that
/// comes back broken or inside an open transaction is closed instead of reused. `close()` ends it:
/// idle connections close at once, busy ones when they come back.
public final class PostgresPool: @unchecked Sendable {
    /// Upper bound on open connections.
    public let maxConnections: Int
    private let connect: @Sendable () throws -> PostgresConnection
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var closed = false

    /// A pool opening connections with `connect` (e.g. `{ try locator.connect(migrate: false) }`).
    public init(maxConnections: Int, connect: @escaping @Sendable () throws -> PostgresConnection) {
        self.maxConnections = max(1, maxConnections)
        self.connect = connect
    }

    /// Runs `body` with a connection of its own, then returns the connection to the pool.
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Connections currently open (idle or in use).
    public var openConnections: Int {
        condition.lock()
        defer { condition.unlock() }
        return openCount
    }

    /// Closes the idle connections and refuses new check-outs; connections in use close when returned.
    public func close() {
        condition.lock()
        closed = true
        openCount -= idle.count
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while !closed && idle.isEmpty && openCount >= maxConnections { condition.wait() }
        if closed {
            condition.unlock()
            throw PostgresError(sqlState: "08003", message: "the connection pool is closed", context: "checking out a connection")
        }
        if let connection = idle.popLast() {
            condition.unlock()
            return connection
        }
        openCount += 1
        condition.unlock()
        do {
            return try connect()
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        let healthy = PQstatus(connection.handle) == CONNECTION_OK && !connection.isInTransaction
        condition.lock()
        let reusable = healthy && !closed
        if reusable { idle.append(connection) } else { openCount -= 1 }
        condition.signal()
        condition.unlock()
    }
}
