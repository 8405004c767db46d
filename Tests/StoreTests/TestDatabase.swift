import Store
import TestSupport
import XCTest

/// A private schema for a Store test and a connection into it (not migrated: some tests migrate).
final class TestSchema {
    let schema: TestDatabaseSchema
    let connection: PostgresConnection
    /// The server's URL (without the schema).
    var url: String { schema.baseURL }
    var name: String { schema.name }

    init(_ test: XCTestCase) throws {
        schema = try TestDatabaseSchema(test, prefix: "t_", purpose: "PostgreSQL tests")
        connection = try schema.connect()
    }

    /// Another connection into the same schema.
    func connect() throws -> PostgresConnection { try schema.connect() }
}
