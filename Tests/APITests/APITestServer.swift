import API
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `facejob serve` stack in-process on an ephemeral loopback port, over a private schema of
/// the test PostgreSQL server (`$FACEJOB_TEST_DATABASE_URL`), dropped at the end of the test.
final class APITestServer {
    static let token = "api-test-token-\(UUID().uuidString)"
    let schema: String
    let admin: PostgresConnection
    let port: Int
    /// The database URL whose connections land in this server's schema.
    let url: String
    private let task: Task<Void, Error>

    /// Real photos (`$FACEJOB_TEST_DATA/faces`).
    static var faces: String {
        (ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"] ?? "/work/shared/data") + "/faces"
    }

    /// The model folder, or a loud skip when the face models are absent.
    static func requireModels() throws -> String? {
        let env = ProcessInfo.processInfo.environment["FACEJOB_MODELS"]
        let dir = env.flatMap { $0.isEmpty ? nil : $0 }
        let probe = (dir ?? NSHomeDirectory() + "/.local/share/facejob/models") + "/dlib_resnet_v1.fjm"
        guard FileManager.default.fileExists(atPath: probe) else {
            let message = "!!! face models not found (\(probe)); set FACEJOB_MODELS: API face tests SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        guard FileManager.default.fileExists(atPath: faces + "/face_recognition/obama.jpg") else {
            let message = "!!! test photos not found under \(faces); set FACEJOB_TEST_DATA: API face tests SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        return dir
    }

    init(_ test: XCTestCase, allowedRoots: [String] = [], maxBodyBytes: Int = 4 << 20, workers: Int = 2,
         queueLimit: Int = 64, models: String? = nil) async throws {
        // The schema's own teardown (dropping it) runs after the server's below: blocks run last-in, first-out.
        let database = try TestDatabaseSchema(test, prefix: "api_", purpose: "API tests")
        schema = database.name
        admin = try database.connect()
        let schemaURL = database.url
        self.url = schemaURL
        let configuration = APIConfiguration(host: "127.0.0.1", port: 0, databaseURL: schemaURL, allowedRoots: allowedRoots,
                                             maxBodyBytes: maxBodyBytes, workers: workers, queueLimit: queueLimit,
                                             authToken: Self.token, modelsDirectory: models)
        let service = try APIService(configuration: configuration)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = APIServer(service: service).application { continuation.yield($0) }
        task = Task { try await app.runService() }
        var bound = 0
        for await p in stream { bound = p; break }
        port = bound
        let task = self.task
        test.addTeardownBlock {
            task.cancel()
            _ = await task.result
        }
    }

    /// Row counts of the tables a request could change.
    func counts() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for table in ["watchlists", "identities", "enrolled_images", "faces", "embeddings", "tombstones", "index_segments", "audit_log"] {
            out[table] = try admin.execute("SELECT count(*) FROM \(table)").scalar(Int.self)
        }
        return out
    }

    struct Reply {
        let status: Int
        let data: Data
        let headers: [AnyHashable: Any]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
        var error: String { json["error"] as? String ?? "" }
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// The Hamilton clip (`$FACEJOB_TEST_DATA/video`), or a loud skip when it is absent.
    static func requireClip(_ purpose: String) throws -> (video: String, clip: String) {
        let video = (ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"] ?? "/work/shared/data") + "/video"
        let clip = video + "/short_hamilton_clip.mp4"
        guard FileManager.default.fileExists(atPath: clip) else {
            let message = "!!! \(clip) not found; set FACEJOB_TEST_DATA: \(purpose) SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        return (video, clip)
    }

    /// A fresh folder under the temporary directory, removed when `test` ends.
    static func temporaryFolder(_ test: XCTestCase, _ name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "facejob-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        return folder
    }

    /// `POST /jobs` of a manifest, then `GET /jobs/{id}` until it has finished; asserts that it is
    /// done and returns its id.
    func runJob(_ manifest: [String: Any], file: StaticString = #filePath, line: UInt = #line) async throws -> Int {
        let submitted = try await send("POST", "/jobs", body: try JSONSerialization.data(withJSONObject: manifest))
        XCTAssertEqual(submitted.status, 202, submitted.text, file: file, line: line)
        let id = try XCTUnwrap(submitted.json["job_id"] as? Int, submitted.text, file: file, line: line)
        var status = try await send("GET", "/jobs/\(id)")
        let deadline = Date().addingTimeInterval(600)
        while status.json["finished"] as? Bool != true, Date() < deadline {
            try await Task.sleep(nanoseconds: 300_000_000)
            status = try await send("GET", "/jobs/\(id)")
        }
        XCTAssertEqual(status.json["status"] as? String, "done", status.text, file: file, line: line)
        return id
    }

    func send(_ method: String, _ path: String, json: [String: Any]? = nil, body: Data? = nil,
              contentType: String? = nil, token: String? = APITestServer.token) async throws -> Reply {
        try await Self.send(port: port, method, path, json: json, body: body, contentType: contentType, token: token)
    }

    static func send(port: Int, _ method: String, _ path: String, json: [String: Any]? = nil, body: Data? = nil,
                     contentType: String? = nil, token: String? = APITestServer.token) async throws -> Reply {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Reply(status: http?.statusCode ?? 0, data: data, headers: http?.allHeaderFields ?? [:])
    }

    /// A multipart/form-data body with text fields and one file.
    static func multipart(fields: [String: String], file: (name: String, filename: String, data: Data)) -> (Data, String) {
        let boundary = "facejob-\(UUID().uuidString)"
        var body = Data()
        for (k, v) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n".utf8)
        body += Data("Content-Type: application/octet-stream\r\n\r\n".utf8) + file.data + Data("\r\n--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    static func dataURI(_ path: String) throws -> String {
        "data:image/jpeg;base64," + (try Data(contentsOf: URL(fileURLWithPath: path))).base64EncodedString()
    }
}
