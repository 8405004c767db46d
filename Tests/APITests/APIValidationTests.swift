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

    /// Hostile or broken multipart bodies: each a 400 (413 over the size limit) that says what is
    /// wrong, and nothing written.
    func testMalformedMultipartBodiesAreClear400sAndChangeNothing() async throws {
        let server = try await APITestServer(self, maxBodyBytes: 64 << 10)
        let before = try server.counts()
        let type = "multipart/form-data; boundary=XyZ"
        let watchlist = "--XyZ\r\nContent-Disposition: form-data; name=\"watchlist\"\r\n\r\nw"
        let cases: [(what: String, contentType: String, body: String, status: Int, error: String)] = [
            ("no boundary", "multipart/form-data", watchlist + "\r\n--XyZ--\r\n", 400, "multipart/form-data without a boundary"),
            ("empty boundary", "multipart/form-data; boundary=\"\"", watchlist + "\r\n--XyZ--\r\n", 400,
             "multipart/form-data without a boundary"),
            ("boundary not in the body", "multipart/form-data; boundary=Other", watchlist + "\r\n--XyZ--\r\n", 400,
             "malformed multipart body: boundary not found"),
            ("body cut in a part", type, watchlist, 400, "malformed multipart body: unterminated part"),
            ("body cut in the headers", type, "--XyZ\r\nContent-Disposition: form-data; na", 400,
             "malformed multipart body: unterminated part"),
            ("body cut after a delimiter", type, watchlist + "\r\n--XyZ\r\n", 400, "malformed multipart body: unterminated part"),
            ("header line without a colon", type, "--XyZ\r\nContent-Disposition form-data; name=\"w\"\r\n\r\nw\r\n--XyZ--\r\n", 400,
             "malformed multipart body"),
            ("control character in a header name", type, "--XyZ\r\nContent\u{1}Disposition: x\r\n\r\nw\r\n--XyZ--\r\n", 400,
             "malformed multipart body"),
            ("header line ending in a bare CR", type, "--XyZ\r\nContent-Disposition: form-data\rX\r\n\r\nw\r\n--XyZ--\r\n", 400,
             "malformed multipart body"),
            ("junk after a delimiter", type, "--XyZjunk\r\n\r\nw\r\n--XyZ--\r\n", 400, "malformed multipart body"),
            ("part without a name", type, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nw\r\n--XyZ--\r\n", 400,
             "multipart part without a name"),
            ("part without headers", type, "--XyZ\r\n\r\nw\r\n--XyZ--\r\n", 400, "multipart part without a name"),
            ("part over the body limit", type, watchlist + String(repeating: "w", count: 100 << 10) + "\r\n--XyZ--\r\n", 413,
             "exceeds the limit"),
        ]
        for c in cases {
            let reply = try await server.send("POST", "/register", body: Data(c.body.utf8), contentType: c.contentType)
            XCTAssertEqual(reply.status, c.status, "\(c.what): \(reply.text)")
            if c.status == 413 {
                XCTAssertTrue(reply.error.contains(c.error), "\(c.what): \(reply.text)")
            } else {
                XCTAssertEqual(reply.error, c.error, c.what)
            }
        }
        // Many parts: the body limit bounds them; each name is checked like a JSON field.
        let many = (0..<500).map { "--XyZ\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nx\r\n" }.joined() + "--XyZ--\r\n"
        let manyReply = try await server.send("POST", "/register", body: Data(many.utf8), contentType: type)
        XCTAssertEqual(manyReply.status, 400, manyReply.text)
        XCTAssertTrue(manyReply.error.hasPrefix("unknown field \"f0\""), manyReply.text)
        let tooMany = String(repeating: "--XyZ\r\nContent-Disposition: form-data; name=\"watchlist\"\r\n\r\nw\r\n", count: 2_000)
            + "--XyZ--\r\n"
        let tooManyReply = try await server.send("POST", "/register", body: Data(tooMany.utf8), contentType: type)
        XCTAssertEqual(tooManyReply.status, 413, tooManyReply.text)
        XCTAssertEqual(try server.counts(), before)
    }

    /// What a form carries reaches the route as before: names quoted or not, the last of two parts
    /// of one name, files apart from fields, a preamble and an epilogue ignored, no parts at all.
    func testMultipartFormsReadFieldsAndFilesAsTheRouteExpects() async throws {
        let server = try await APITestServer(self)
        let before = try server.counts()
        let type = "multipart/form-data; boundary=\"b-1\""
        func part(_ disposition: String, _ value: String) -> String { "--b-1\r\nContent-Disposition: \(disposition)\r\n\r\n\(value)\r\n" }
        let cases: [(what: String, body: String, error: String)] = [
            ("an empty form", "--b-1--\r\n", "\"watchlist\" is required"),
            ("a preamble, an unquoted name, a NAME key, an epilogue",
             "preamble\r\n" + part("form-data; name=watchlist", "w") + part("form-data; NAME=\"identity\"", "x")
                + "--b-1--\r\nepilogue", "\"img\" is required: a multipart file, a data:image/...;base64 URI or a server path"),
            ("the last of two parts wins", part("form-data; name=\"watchlist\"", "w") + part("form-data; name=\"identity\"", "x")
                + part("form-data; name=\"identity\"", " ") + "--b-1--\r\n", "\"identity\" (or DeepFace's \"img_name\") is required"),
            ("a part with a filename is a file", part("form-data; name=\"watchlist\"", "w") + part("form-data; name=\"identity\"", "x")
                + part("form-data; name=\"img\"; filename=\"empty.jpg\"", "") + "--b-1--\r\n", "\"img\" is an empty file"),
            ("a text part named img is a path", part("form-data; name=\"watchlist\"", "w") + part("form-data; name=\"identity\"", "x")
                + part("form-data; name=\"img\"", "http://example.invalid/a.jpg") + "--b-1--\r\n",
             "\"img\": URLs are not fetched by this server; send the image itself"),
        ]
        for c in cases {
            let reply = try await server.send("POST", "/register", body: Data(c.body.utf8), contentType: type)
            XCTAssertEqual(reply.status, 400, "\(c.what): \(reply.text)")
            XCTAssertEqual(reply.error, c.error, c.what)
        }
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
