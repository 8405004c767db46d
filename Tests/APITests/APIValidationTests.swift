import API
import Foundation
import XCTest

/// Auth, validation and hardening over real HTTP; none of these requests may change the database.
final class APIValidationTests: XCTestCase {
    func testHealthzNeedsNoTokenButEverythingElseDoes() async throws {
        let server = try await APITestServer(self)
        let health = try await server.send("GET", "/healthz", token: nil)
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.json["status"] as? String, "ok")
        for (method, path) in [("GET", "/metrics"), ("POST", "/search"), ("POST", "/register"), ("POST", "/build/index"),
                               ("POST", "/verify"), ("POST", "/represent"), ("GET", "/watchlists/w/identities"),
                               ("DELETE", "/watchlists/w/identities/1"), ("POST", "/jobs")] {
            let missing = try await server.send(method, path, json: method == "POST" ? [:] : nil, token: nil)
            XCTAssertEqual(missing.status, 401, "\(method) \(path) without token")
            XCTAssertTrue(missing.error.contains("bearer token"), missing.text)
            let wrong = try await server.send(method, path, json: method == "POST" ? [:] : nil, token: "nope")
            XCTAssertEqual(wrong.status, 401, "\(method) \(path) with a wrong token")
            XCTAssertEqual(wrong.error, "wrong bearer token")
        }
    }

    func testMalformedRequestsAreClear400sAndChangeNothing() async throws {
        let server = try await APITestServer(self)
        let before = try server.counts()
        let malformed = try await server.send("POST", "/register", body: Data("{\"watchlist\": ".utf8))
        XCTAssertEqual(malformed.status, 400)
        XCTAssertTrue(malformed.error.hasPrefix("malformed JSON"), malformed.text)
        let notObject = try await server.send("POST", "/search", body: Data("[1, 2]".utf8))
        XCTAssertEqual(notObject.status, 400)
        XCTAssertTrue(notObject.error.contains("JSON object"), notObject.text)
        let badBase64 = try await server.send("POST", "/register", json: ["watchlist": "w", "identity": "x",
                                                                           "img": "data:image/jpeg;base64,abc"])
        XCTAssertEqual(badBase64.status, 400)
        XCTAssertTrue(badBase64.error.contains("not valid base64"), badBase64.text)
        let unknownField = try await server.send("POST", "/search", json: ["watchlist": "w", "img": "x", "tresholdd": 1])
        XCTAssertEqual(unknownField.status, 400)
        XCTAssertTrue(unknownField.error.contains("unknown field \"tresholdd\""), unknownField.text)
        let badBool = try await server.send("POST", "/represent", json: ["img": "x", "enforce_detection": "maybe"])
        XCTAssertEqual(badBool.status, 400)
        XCTAssertTrue(badBool.error.contains("must be true or false"), badBool.text)
        let badK = try await server.send("POST", "/search", json: ["watchlist": "w", "embedding": [Float](repeating: 0, count: 128), "k": 0])
        XCTAssertEqual(badK.status, 400)
        XCTAssertTrue(badK.error.contains("\"k\" must be an integer"), badK.text)
        let badMethod = try await server.send("POST", "/search", json: ["watchlist": "w", "img": "x", "search_method": "fuzzy"])
        XCTAssertEqual(badMethod.status, 400)
        XCTAssertTrue(badMethod.error.contains("search_method"), badMethod.text)
        let otherModel = try await server.send("POST", "/represent", json: ["img": "x", "model_name": "VGG-Face"])
        XCTAssertEqual(otherModel.status, 400)
        XCTAssertTrue(otherModel.error.contains("VGG-Face"), otherModel.text)
        let noIdentity = try await server.send("POST", "/register", json: ["watchlist": "w", "img": "data:image/jpeg;base64,AAAA"])
        XCTAssertEqual(noIdentity.status, 400)
        XCTAssertTrue(noIdentity.error.contains("identity"), noIdentity.text)
        XCTAssertFalse(malformed.text.contains("Swift") || malformed.text.contains("0x"), "no internals in errors")
        XCTAssertEqual(try server.counts(), before)
    }

    func testOversizedBodyIs413() async throws {
        let server = try await APITestServer(self, maxBodyBytes: 64 << 10)
        let before = try server.counts()
        let big = "{\"watchlist\": \"w\", \"identity\": \"x\", \"img\": \"data:image/jpeg;base64,"
            + String(repeating: "A", count: 200 << 10) + "\"}"
        let reply = try await server.send("POST", "/register", body: Data(big.utf8))
        XCTAssertEqual(reply.status, 413)
        XCTAssertTrue(reply.error.contains("exceeds the limit"), reply.text)
        XCTAssertEqual(try server.counts(), before)
    }

    func testPathsOutsideTheAllowedRootsAre403() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("api-root-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("api-outside-\(UUID().uuidString).jpg").path
        try Data("not really".utf8).write(to: URL(fileURLWithPath: outside))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: root + "/escape.jpg", withDestinationPath: outside)
        let server = try await APITestServer(self, allowedRoots: [root])
        let before = try server.counts()
        for path in [root + "/../" + (outside as NSString).lastPathComponent, root + "/escape.jpg", "/etc/passwd", "relative.jpg"] {
            let reply = try await server.send("POST", "/register", json: ["watchlist": "w", "identity": "x", "img": path])
            XCTAssertEqual(reply.status, 403, path)
            XCTAssertFalse(reply.error.isEmpty, path)
        }
        let missing = try await server.send("POST", "/register", json: ["watchlist": "w", "identity": "x", "img": root + "/none.jpg"])
        XCTAssertEqual(missing.status, 400)
        XCTAssertTrue(missing.error.contains("does not exist"), missing.text)
        XCTAssertEqual(try server.counts(), before)
    }

    func testUnknownWatchlistIs404() async throws {
        let server = try await APITestServer(self)
        let before = try server.counts()
        let list = try await server.send("GET", "/watchlists/nobody/identities")
        XCTAssertEqual(list.status, 404)
        XCTAssertTrue(list.error.contains("no watchlist named \"nobody\""), list.text)
        let delete = try await server.send("DELETE", "/watchlists/nobody/identities/1")
        XCTAssertEqual(delete.status, 404)
        let build = try await server.send("POST", "/build/index", json: ["watchlist": "nobody"])
        XCTAssertEqual(build.status, 404, build.text)
        let search = try await server.send("POST", "/search", json: ["watchlist": "nobody", "embedding": [Float](repeating: 0.1, count: 128)])
        XCTAssertEqual(search.status, 404, search.text)
        XCTAssertEqual(try server.counts(), before)
    }

    func testNonLoopbackHostWithoutTokenRefusesToStart() throws {
        let open = APIConfiguration(host: "0.0.0.0", authToken: nil)
        XCTAssertThrowsError(try open.validate()) { XCTAssertTrue("\($0)".contains("FACEJOB_AUTH_TOKEN")) }
        XCTAssertNoThrow(try APIConfiguration(host: "0.0.0.0", authToken: nil, insecureNoAuth: true).validate())
        XCTAssertNoThrow(try APIConfiguration(host: "0.0.0.0", authToken: "t").validate())
        XCTAssertNoThrow(try APIConfiguration(host: "127.0.0.1", authToken: nil).validate())
    }
}
