import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// What the end-to-end tests share: a private schema in the test server, the Hamilton clip and
/// its two enrolled people, a temporary folder; everything removed when the test ends.
struct EndToEndFixture {
    let binary: FacejobBinary
    /// The test server's URL pointed at the private schema.
    let url: String
    let schema: String
    let admin: PostgresConnection
    /// `$FACEJOB_TEST_DATA/video`.
    let data: URL
    let folder: URL

    var clip: URL { data.appendingPathComponent("short_hamilton_clip.mp4") }

    /// Everything set up, or a skip that says what is missing.
    init(_ test: XCTestCase) throws {
        let database = try TestDatabaseSchema(test, prefix: "e_", purpose: "end-to-end test")
        data = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data").path)
            .appendingPathComponent("video").standardizedFileURL
        guard FileManager.default.fileExists(atPath: data.appendingPathComponent("short_hamilton_clip.mp4").path) else {
            let message = "!!! \(data.path)/short_hamilton_clip.mp4 is missing: end-to-end test SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        binary = try FacejobBinary.locate()
        schema = database.name
        admin = try PostgresConnection(url: database.baseURL)
        url = database.url
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-e2e-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let folder = self.folder
        test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    }

    /// `facejob register` of Lin-Manuel Miranda and Alex Lacamoire into watchlist `hamilton`.
    func registerHamilton() throws {
        try register("lin-manuel-miranda.png", as: "Lin-Manuel Miranda")
        try register("alex-lacamoire.png", as: "Alex Lacamoire")
    }

    /// `facejob register` of one photo (a file in `data`, or a path) as `name` into watchlist `hamilton`.
    func register(_ photo: String, as name: String) throws {
        let path = photo.hasPrefix("/") ? photo : data.appendingPathComponent(photo).path
        let r = try binary.run(["register", "--database", url, "--watchlist", "hamilton", "--identity", name, path])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// Writes a manifest `NAME.json` over `inputs` (JSON objects) sampled every 25th frame.
    func manifest(_ name: String, inputs: [String], extra: String = "") throws -> URL {
        let url = folder.appendingPathComponent("\(name).json")
        try """
            {"name": "\(name)", "watchlist": "hamilton", "inputs": [\(inputs.joined(separator: ", "))],
             "sampling": {"every_n": 25}, "report": {"directory": "reports-\(name)", "thumbnails": false}\(extra)}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A file of random bytes named like footage.
    func noise(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        var generator = SystemRandomNumberGenerator()
        try Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
        return url
    }

    /// Rows of a job table in the private schema.
    func count(_ table: String) throws -> Int {
        let exists = try admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = $2",
                                       [.text(schema), .text(table)]).scalar(Int.self)
        guard exists > 0 else { return 0 }
        return try admin.execute("SELECT count(*) FROM \(schema).\(table)").scalar(Int.self)
    }
}
