import Postgres
import XCTest

/// A private schema for a database test and a connection into it (not migrated: some tests migrate).
public final class TestSchema {
    /// The schema in the test server.
    public let schema: TestDatabaseSchema
    /// A connection whose search path is the schema.
    public let connection: PostgresConnection
    /// The server's URL (without the schema).
    public var url: String { schema.baseURL }
    /// The schema's name.
    public var name: String { schema.name }

    /// Creates the schema (dropped when `test` ends) and connects to it.
    public init(_ test: XCTestCase) throws {
        schema = try TestDatabaseSchema(test, prefix: "t_", purpose: "PostgreSQL tests")
        connection = try schema.connect()
    }

    /// Another connection into the same schema.
    public func connect() throws -> PostgresConnection { try schema.connect() }
}
