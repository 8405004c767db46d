import Foundation
import XCTest

/// Keeps `manifests/manifest.schema.json` honest: the examples must pass it, and the malformed
/// manifests whose problems a schema can express must fail it. Uses Python's `jsonschema` (Debian
/// `python3-jsonschema`) as an independent validator; skips loudly when it is not installed.
final class ManifestSchemaTests: XCTestCase {
    /// Corpus entries whose only problems are beyond a schema (files on disk, impossible dates,
    /// duplicate keys, `to` before `from`, glob syntax, JSON syntax).
    private let beyondSchema: Set<String> = ["missing-files", "bad-globs", "named-twice", "hidden-only", "duplicate-keys", "not-json"]

    func testSchemaAgreesWithTheValidator() throws {
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("NO-JSONSCHEMA"); sys.exit(0)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            try:
                doc = json.load(open(path))
            except ValueError:
                print(path, "unparsable"); continue
            print(path, "ok" if v.is_valid(doc) else "invalid")
        """
        let repo = ManifestFixtures.repoRoot
        let bad = ManifestFixtures.corpus.appendingPathComponent("bad")
        let corpus = try FileManager.default.contentsOfDirectory(atPath: bad.path).filter { $0.hasSuffix(".json") }.sorted()
        let examples = ["manifests/hamilton.json", "manifests/case-template.json"].map { repo.appendingPathComponent($0).path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, repo.appendingPathComponent("manifests/manifest.schema.json").path]
            + examples + corpus.map { bad.appendingPathComponent($0).path }
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch { throw XCTSkip("!!! python3 not available: schema cross-check SKIPPED") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "the schema itself is not valid draft 2020-12")
        let text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("NO-JSONSCHEMA") {
            throw XCTSkip("!!! python3-jsonschema not installed: schema cross-check SKIPPED (apt-get install python3-jsonschema)")
        }
        var verdicts: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { verdicts[String(parts[0])] = String(parts[1]) }
        }
        for e in examples { XCTAssertEqual(verdicts[e], "ok", e) }
        for name in corpus where !beyondSchema.contains(String(name.dropLast(5))) {
            XCTAssertNotEqual(verdicts[bad.appendingPathComponent(name).path], "ok", "\(name) passes the schema but not facejob")
        }
    }
}
