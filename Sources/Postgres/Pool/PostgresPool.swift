import CLibPQ
import Foundation

/// A small thread-safe pool of connections for concurrent workers and the API: at most
/// `maxConnections` are open; callers beyond that wait for one to be returned. A connection that
/// comes back broken or inside an open transaction is closed instead of reused.
public final class PostgresPool: @unchecked Sendable {
    /// Upper bound on open connections.
    public let maxConnections: Int
    private let connect: @Sendable () throws -> PostgresConnection
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0

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

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while idle.isEmpty && openCount >= maxConnections { condition.wait() }
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
        let reusable = PQstatus(connection.handle) == CONNECTION_OK && !connection.isInTransaction
        condition.lock()
        if reusable { idle.append(connection) } else { openCount -= 1 }
        condition.signal()
        condition.unlock()
    }
}
