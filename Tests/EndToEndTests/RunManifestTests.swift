import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// `facejob run` on malformed manifests: exit 64 with a JSON pointer per problem, and not a single
/// row (not even the schema) written to the database.
final class RunManifestTests: XCTestCase {
    func testEveryMalformedManifestExits64AndLeavesTheDatabaseUntouched() throws {
        let binary = try FacejobBinary.locate()
        let database = try TestDatabaseSchema(self, prefix: "e_", purpose: "end-to-end test")
        let schema = database.name, url = database.url
        let admin = try PostgresConnection(url: database.baseURL)

        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../JobsTests/Corpus/bad").standardizedFileURL
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20, "the corpus went missing")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-bad-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in names {
            let manifest = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(name), to: manifest)
            let result = try binary.run(["run", manifest.path, "--database", url, "--quiet"])
            XCTAssertEqual(result.status, 64, "\(name): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(manifest.path), "\(name) names the file: \(result.stderr)")
            XCTAssertTrue(result.stdout.isEmpty, "\(name) printed \(result.stdout)")
        }
        let tables = try admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = $1", [.text(schema)]).scalar(Int.self)
        XCTAssertEqual(tables, 0, "a malformed manifest touched the database")
    }

    func testUnknownJobForReportAndStatusIsAUsageError() throws {
        let binary = try FacejobBinary.locate()
        let url = try TestDatabaseSchema(self, prefix: "e_", purpose: "end-to-end test").url
        let report = try binary.run(["report", "no-such-job", "--database", url])
        XCTAssertEqual(report.status, 64, report.stderr)
        XCTAssertTrue(report.stderr.contains("no-such-job"))
        let status = try binary.run(["jobs", "status", "no-such-job", "--database", url])
        XCTAssertEqual(status.status, 64, status.stderr)
        let list = try binary.run(["jobs", "list", "--database", url])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stdout, "no jobs\n")
    }
}
