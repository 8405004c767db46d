import Postgres
import Store
import TestSupport
import XCTest

/// A private schema for a runner test; its connections are migrated.
final class RunnerTestSchema {
    let schema: TestDatabaseSchema
    var baseURL: String { schema.baseURL }
    var name: String { schema.name }
    /// A URL whose connections land in this schema (for child `facejob` processes).
    var url: String { schema.url }

    init(_ test: XCTestCase) throws {
        schema = try TestDatabaseSchema(test, prefix: "r_", purpose: "runner database tests")
    }

    /// A new migrated connection into the schema.
    func connect() throws -> PostgresConnection { try schema.connect(migrated: true) }
}
