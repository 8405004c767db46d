import Foundation
import Store
import XCTest

/// A private, migrated schema in the test server (`$FACEJOB_TEST_DATABASE_URL`, set by
/// scripts/test), dropped when the test ends.
final class RunnerTestSchema {
    let baseURL: String
    let name: String

    init(_ test: XCTestCase) throws {
        guard let url = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "!!! FACEJOB_TEST_DATABASE_URL is not set: runner database tests SKIPPED. Run scripts/test, "
                + "which starts a throwaway PostgreSQL server."
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        baseURL = url
        name = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PostgresConnection(url: url)
        try admin.executeScript("CREATE SCHEMA \(name)")
        let schema = name
        test.addTeardownBlock {
            if let admin = try? PostgresConnection(url: url) {
                try? admin.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            }
        }
    }

    /// A new migrated connection into the schema.
    func connect() throws -> PostgresConnection {
        let c = try PostgresConnection(url: baseURL)
        try c.executeScript("SET search_path TO \(name)")
        try Migrator().migrate(c)
        return c
    }
}
