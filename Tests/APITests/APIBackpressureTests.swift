import Foundation
import XCTest

/// A burst beyond the work pool and its queue is refused with 503 and Retry-After, not queued
/// without bound; the jobs routes say plainly that they are not built yet.
final class APIBackpressureTests: XCTestCase {
    func testBurstBeyondThePoolIs503WithRetryAfter() async throws {
        let models = try APITestServer.requireModels()
        let server = try await APITestServer(self, allowedRoots: [APITestServer.faces], workers: 1, queueLimit: 1, models: models)
        let photo = APITestServer.faces + "/deepface/selfie-many-people.jpg"
        let replies = try await withThrowingTaskGroup(of: APITestServer.Reply.self) { group in
            for _ in 0..<6 { group.addTask { try await server.send("POST", "/represent", json: ["img": photo]) } }
            var all: [APITestServer.Reply] = []
            for try await r in group { all.append(r) }
            return all
        }
        let busy = replies.filter { $0.status == 503 }
        XCTAssertFalse(busy.isEmpty, "6 concurrent requests on 1 worker + 1 queue slot: some must be refused")
        XCTAssertTrue(replies.contains { $0.status == 200 }, "the admitted requests complete")
        XCTAssertEqual(Set(replies.map(\.status)).subtracting([200, 503]), [])
        for r in busy {
            XCTAssertTrue(r.error.contains("server busy"), r.text)
            XCTAssertEqual(r.headers["Retry-After"] as? String, "1")
        }
    }
}
