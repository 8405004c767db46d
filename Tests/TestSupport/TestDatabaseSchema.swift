import Foundation
import Postgres
import Store
import XCTest

/// A private schema in the test PostgreSQL server (`$FACEJOB_TEST_DATABASE_URL`, started by
/// scripts/test), dropped when the test ends, so tests never see each other's tables. Sequences
/// are per schema, so two schemas filled the same way get the same ids.
public final class TestDatabaseSchema {
    /// The server's URL (connections land in `public` unless told otherwise).
    public let baseURL: String
    /// The schema's name: the prefix plus 16 random hex digits.
    public let name: String

    /// Creates the schema and registers its removal with `test`; skips loudly, naming `purpose`,
    /// when no test server is configured.
    public init(_ test: XCTestCase, prefix: String, purpose: String) throws {
        guard let url = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "!!! FACEJOB_TEST_DATABASE_URL is not set: \(purpose) SKIPPED. Run scripts/test, "
                + "which starts a throwaway PostgreSQL server."
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        baseURL = url
        name = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PostgresConnection(url: url)
        try admin.executeScript("CREATE SCHEMA \(name)")
        let schema = name
        test.addTeardownBlock {
            if let admin = try? PostgresConnection(url: url) {
                try? admin.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            }
        }
    }

    /// A URL whose connections land in this schema (for servers and child `facejob` processes).
    public var url: String {
        baseURL + (baseURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
    }

    /// A new connection into the schema, with facejob's migrations applied when `migrated`.
    public func connect(migrated: Bool = false) throws -> PostgresConnection {
        let c = try PostgresConnection(url: baseURL)
        try c.executeScript("SET search_path TO \(name)")
        if migrated { try Migrator().migrate(c) }
        return c
    }
}
