import XCTest
@testable import Postgres

final class PostgresErrorTests: XCTestCase {
    func testConnectionFailuresMapToUnavailable() {
        let refused = PostgresError(sqlState: "08006", message: "connection refused", context: "connect")
        XCTAssertTrue(refused.isConnectionFailure)
        XCTAssertEqual(refused.exitStatus, .unavailable)
        let unique = PostgresError(sqlState: "23505", message: "duplicate key", context: "insert face")
        XCTAssertFalse(unique.isConnectionFailure)
        XCTAssertEqual(unique.exitStatus, .failure)
        XCTAssertTrue(unique.description.contains("SQLSTATE 23505"))
    }
}
