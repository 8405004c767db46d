import Foundation
import Store
import XCTest

/// A private schema in the test server (`$FACEJOB_TEST_DATABASE_URL`, set by scripts/test),
/// dropped when the test ends, so tests never see each other's tables.
final class TestSchema {
    let url: String
    let name: String
    let connection: PostgresConnection

    /// Creates the schema and a connection whose search_path points at it; skips loudly when no
    /// test server is configured.
    init(_ test: XCTestCase) throws {
        guard let url = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "!!! FACEJOB_TEST_DATABASE_URL is not set: PostgreSQL tests SKIPPED. Run scripts/test, "
                + "which starts a throwaway server."
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        self.url = url
        name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        connection = try PostgresConnection(url: url)
        try connection.executeScript("CREATE SCHEMA \(name); SET search_path TO \(name)")
        let schema = name
        test.addTeardownBlock {
            if let admin = try? PostgresConnection(url: url) {
                try? admin.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            }
        }
    }

    /// Another connection into the same schema.
    func connect() throws -> PostgresConnection {
        let c = try PostgresConnection(url: url)
        try c.executeScript("SET search_path TO \(name)")
        return c
    }
}
