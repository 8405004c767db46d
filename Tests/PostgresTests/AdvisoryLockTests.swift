import Foundation
import Postgres
import TestSupport
import XCTest

final class AdvisoryLockTests: XCTestCase {
    private func freshKey() -> AdvisoryLockKey { AdvisoryLockKey(name: "test.\(UUID())") }

    func testSessionLockContention() throws {
        let db = try TestSchema(self)
        let a = db.connection, b = try db.connect()
        let key = freshKey()
        XCTAssertTrue(try a.tryAdvisoryLock(key))
        XCTAssertFalse(try b.tryAdvisoryLock(key))
        XCTAssertFalse(try b.advisoryUnlock(key), "b does not hold it")

        // b blocks on the lock until a releases it.
        let acquired = expectation(description: "b acquires after a unlocks")
        let state = LockedFlag()
        Thread.detachNewThread {
            do {
                try b.advisoryLock(key)
                state.set()
                acquired.fulfill()
            } catch { XCTFail("\(error)") }
        }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertFalse(state.value, "b must still be waiting while a holds the lock")
        XCTAssertTrue(try a.advisoryUnlock(key))
        wait(for: [acquired], timeout: 30)
        XCTAssertFalse(try a.tryAdvisoryLock(key))
        XCTAssertTrue(try b.advisoryUnlock(key))
        XCTAssertTrue(try a.tryAdvisoryLock(key))
        XCTAssertTrue(try a.advisoryUnlock(key))
    }

    func testTransactionLockEndsWithTheTransaction() throws {
        let db = try TestSchema(self)
        let a = db.connection, b = try db.connect()
        let key = freshKey()
        try a.transaction {
            XCTAssertTrue(try a.tryAdvisoryTransactionLock(key))
            XCTAssertFalse(try b.tryAdvisoryLock(key))
        }
        XCTAssertTrue(try b.tryAdvisoryLock(key))
        try b.advisoryUnlock(key)
    }

    func testClosingTheConnectionReleasesSessionLocks() throws {
        let db = try TestSchema(self)
        let key = freshKey()
        var a: PostgresConnection? = try db.connect()
        XCTAssertEqual(try a?.tryAdvisoryLock(key), true)
        XCTAssertFalse(try db.connection.tryAdvisoryLock(key))
        a = nil
        XCTAssertNil(a)
        // The server ends the closed session asynchronously; its locks go with it.
        var taken = false
        let deadline = Date().addingTimeInterval(10)
        while !taken, Date() < deadline {
            taken = try db.connection.tryAdvisoryLock(key)
            if !taken { Thread.sleep(forTimeInterval: 0.02) }
        }
        XCTAssertTrue(taken)
        try db.connection.advisoryUnlock(key)
    }

    func testNamedKeysAreStable() {
        // Reference FNV-1a 64 values: keys must not change between builds, or old and new processes would not exclude each other.
        XCTAssertEqual(AdvisoryLockKey(name: "a"), AdvisoryLockKey(name: "a"))
        XCTAssertNotEqual(AdvisoryLockKey(name: "a"), AdvisoryLockKey(name: "b"))
        XCTAssertEqual(AdvisoryLockKey(name: "").value, Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
        XCTAssertEqual(AdvisoryLockKey(name: "a").value, Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
    }
}

/// A Bool shared between threads.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func set() { lock.lock(); flag = true; lock.unlock() }
}
