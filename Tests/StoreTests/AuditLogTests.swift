import Postgres
import Store
import TestSupport
import XCTest

/// The audit trail of a subject holds its own rows and those below it, newest first, and nothing
/// whose name only looks alike to SQL's LIKE (`_` and `%` in names are literal).
final class AuditLogTests: XCTestCase {
    func testASubjectsTrailIsItselfAndWhatIsBelowIt() throws {
        let db = try TestSchema(self)
        try Migrator().migrate(db.connection)
        let log = AuditLog(connection: db.connection)
        let own = try log.append(actor: "a@h", action: "watchlist.create", subject: "watchlist/a_b", details: ["n": 1])
        let below = try log.append(actor: "a@h", action: "identity.remove", subject: "watchlist/a_b/identity/1",
                                   details: ["reason": "test"])
        try log.append(actor: "a@h", action: "identity.remove", subject: "watchlist/aXb/identity/2", details: [:])
        try log.append(actor: "a@h", action: "watchlist.create", subject: "watchlist/a_bc", details: [:])
        try log.append(actor: "a@h", action: "watchlist.create", subject: "watchlist/a%", details: [:])
        let trail = try log.entries(subject: "watchlist/a_b")
        XCTAssertEqual(trail.map(\.id), [below, own])
        XCTAssertEqual(trail.first?.action, "identity.remove")
        XCTAssertEqual(trail.first?.details, #"{"reason": "test"}"#)
        XCTAssertEqual(try log.entries(subject: "watchlist/a%").count, 1)
        XCTAssertEqual(try log.entries(subject: "watchlist/a_b", limit: 1).map(\.id), [below])
    }
}
