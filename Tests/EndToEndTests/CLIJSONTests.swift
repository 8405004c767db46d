import Common
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// `--json` of jobs list/status, watchlist list/show, index status, db status and doctor: the built
/// binary against a private schema in the test server; each document parsed, its keys checked
/// against the documented shape and its values against the database.
final class CLIJSONTests: XCTestCase {
    private func object(_ r: FacejobBinary.Result, status: Int32 = 0, file: StaticString = #filePath,
                        line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        return try XCTUnwrap(parsed as? [String: Any], r.stdout, file: file, line: line)
    }

    private func objects(_ value: Any?, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try XCTUnwrap(value as? [[String: Any]], "\(value ?? "nil") is not a list of objects", file: file, line: line)
    }

    private func keys(_ object: [String: Any], _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(object.keys), Set(expected), "keys of \(object)", file: file, line: line)
    }

    private func isNull(_ value: Any?) -> Bool { value is NSNull }

    /// ISO 8601 in UTC to the second, as the documents write times.
    private func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// The Hamilton clip run as job "stage" (camera "stage"), finished.
    private func runStage(_ f: EndToEndFixture) throws {
        try f.registerHamilton()
        let manifest = try f.manifest("stage", inputs: ["{\"path\": \"\(f.clip.path)\", \"camera\": \"stage\"}"])
        let ran = try f.binary.run(["run", manifest.path, "--database", f.url])
        XCTAssertEqual(ran.status, 0, ran.stderr)
    }

    func testJobsListJSON() throws {
        let f = try EndToEndFixture(self)
        let empty = try object(try f.binary.run(["jobs", "list", "--json", "--database", f.url]))
        XCTAssertEqual(try objects(empty["jobs"]).count, 0, "no jobs yet: an empty list")

        try runStage(f)
        let listed = try object(try f.binary.run(["jobs", "list", "--json", "--database", f.url]))
        keys(listed, ["jobs"])
        let job = try XCTUnwrap(try objects(listed["jobs"]).first)
        XCTAssertEqual(try objects(listed["jobs"]).count, 1)
        keys(job, ["job_id", "name", "status", "runs", "manifest_hash", "report_directory", "finished", "created_at", "finished_at"])
        let row = try f.admin.execute("SELECT id, manifest_hash, report_dir, created_at, finished_at FROM \(f.schema).jobs")[0]
        XCTAssertEqual(job["job_id"] as? Int64, try row.decode(0, as: Int64.self))
        XCTAssertEqual(job["name"] as? String, "stage")
        XCTAssertEqual(job["status"] as? String, "done")
        XCTAssertEqual(job["runs"] as? Int, 1)
        XCTAssertEqual(job["finished"] as? Bool, true)
        XCTAssertEqual(job["manifest_hash"] as? String, try row.decode(1, as: String.self))
        XCTAssertEqual(job["report_directory"] as? String, try row.decode(2, as: String.self))
        XCTAssertEqual(job["report_directory"] as? String, f.folder.appendingPathComponent("reports-stage").path)
        XCTAssertEqual(job["created_at"] as? String, iso(try row.decode(3, as: Date.self)))
        XCTAssertEqual(job["finished_at"] as? String, iso(try row.decode(4, as: Date.self)))
        XCTAssertTrue((job["created_at"] as? String ?? "").hasSuffix("Z"), "times are UTC")
    }

    func testJobsStatusJSON() throws {
        let f = try EndToEndFixture(self)
        try runStage(f)
        let status = try object(try f.binary.run(["jobs", "status", "stage", "--json", "--database", f.url]))
        keys(status, ["job_id", "name", "status", "runs", "manifest_hash", "report_directory", "finished", "created_at",
                      "finished_at", "inputs"])
        XCTAssertEqual(status["name"] as? String, "stage")
        XCTAssertEqual(status["status"] as? String, "done")
        let inputs = try objects(status["inputs"])
        XCTAssertEqual(inputs.count, 1)
        let input = try XCTUnwrap(inputs.first)
        keys(input, ["ordinal", "path", "sha256", "size_bytes", "camera", "status", "error", "checkpoint_ms", "frames_sampled",
                     "faces", "hits", "damaged_frames", "duration_ms", "seconds", "lease_owner", "lease_owner_stopped"])
        let row = try f.admin.execute("""
            SELECT checkpoint_ms, frames_sampled, faces, hits, damaged_frames, duration_ms FROM \(f.schema).job_inputs
            """)[0]
        XCTAssertEqual(input["ordinal"] as? Int, 0)
        XCTAssertEqual(input["path"] as? String, f.clip.path)
        XCTAssertEqual(input["sha256"] as? String, try SHA256Hex.file(at: f.clip.path))
        let size = try FileManager.default.attributesOfItem(atPath: f.clip.path)[.size] as? Int64
        XCTAssertEqual(input["size_bytes"] as? Int64, size)
        XCTAssertEqual(input["camera"] as? String, "stage")
        XCTAssertEqual(input["status"] as? String, "done")
        XCTAssertTrue(isNull(input["error"]), "no error: null")
        XCTAssertEqual(input["checkpoint_ms"] as? Int64, try row.decode(0, as: Int64.self))
        XCTAssertEqual(input["frames_sampled"] as? Int64, try row.decode(1, as: Int64.self))
        XCTAssertEqual(input["faces"] as? Int64, try row.decode(2, as: Int64.self))
        XCTAssertEqual(input["hits"] as? Int64, try row.decode(3, as: Int64.self))
        XCTAssertEqual(input["damaged_frames"] as? Int64, try row.decode(4, as: Int64.self))
        XCTAssertEqual(input["duration_ms"] as? Int64, try row.decode(5, as: Int64.self))
        XCTAssertGreaterThan(input["hits"] as? Int64 ?? 0, 0, "Hamilton is seen")
        XCTAssertGreaterThan(input["seconds"] as? Double ?? 0, 0)
        XCTAssertTrue(isNull(input["lease_owner"]) && isNull(input["lease_owner_stopped"]), "a finished input holds no lease")

        // An input left running: by a live process of this host, then by one that has exited.
        let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: ":", with: "_")
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        for (pid, stopped) in [(getpid(), false), (exited.processIdentifier, true)] {
            try f.admin.execute("UPDATE \(f.schema).job_inputs SET status = 'running', lease_owner = $1",
                                [.text("\(host):\(pid):0")])
            let running = try objects(try object(try f.binary.run(["jobs", "status", "stage", "--json", "--database", f.url]))["inputs"])
            XCTAssertEqual(running.first?["lease_owner"] as? String, "\(host):\(pid):0")
            XCTAssertEqual(running.first?["lease_owner_stopped"] as? Bool, stopped)
        }

        let unknown = try f.binary.run(["jobs", "status", "nonesuch", "--json", "--database", f.url])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        XCTAssertEqual(unknown.stdout, "", "no document for an unknown job")
    }

    func testWatchlistListJSON() throws {
        let f = try EndToEndFixture(self)
        let empty = try object(try f.binary.run(["watchlist", "list", "--json", "--database", f.url]))
        XCTAssertEqual(try objects(empty["watchlists"]).count, 0)

        try f.registerHamilton()
        let listed = try object(try f.binary.run(["watchlist", "list", "--json", "--database", f.url]))
        keys(listed, ["watchlists"])
        let entries = try objects(listed["watchlists"])
        XCTAssertEqual(entries.count, 1)
        let w = try XCTUnwrap(entries.first)
        keys(w, ["id", "name", "identities", "faces", "created_at"])
        let row = try f.admin.execute("SELECT id, created_at FROM \(f.schema).watchlists")[0]
        XCTAssertEqual(w["id"] as? Int64, try row.decode(0, as: Int64.self))
        XCTAssertEqual(w["name"] as? String, "hamilton")
        XCTAssertEqual(w["identities"] as? Int, 2)
        XCTAssertEqual(w["faces"] as? Int, 2)
        XCTAssertEqual(w["created_at"] as? String, iso(try row.decode(1, as: Date.self)))
    }

    func testWatchlistShowJSON() throws {
        let f = try EndToEndFixture(self)
        let lin = f.data.appendingPathComponent("lin-manuel-miranda.png").path
        let enrolled = try f.binary.run(["register", "--database", f.url, "--watchlist", "hamilton", "--identity", "Lin-Manuel Miranda",
                                         "--external-id", "W-17", lin])
        XCTAssertEqual(enrolled.status, 0, enrolled.stderr)
        try f.register("alex-lacamoire.png", as: "Alex Lacamoire")

        let shown = try object(try f.binary.run(["watchlist", "show", "--watchlist", "hamilton", "--json", "--database", f.url]))
        keys(shown, ["watchlist", "identities", "models"])
        XCTAssertEqual(shown["watchlist"] as? String, "hamilton")
        let identities = try objects(shown["identities"])
        XCTAssertEqual(identities.map { $0["name"] as? String }, ["Alex Lacamoire", "Lin-Manuel Miranda"], "by name")
        for identity in identities {
            keys(identity, ["id", "name", "external_id", "metadata", "faces", "created_at"])
            XCTAssertEqual(identity["faces"] as? Int, 1)
            XCTAssertNotNil(identity["metadata"] as? [String: Any], "metadata is an object")
        }
        XCTAssertTrue(isNull(identities[0]["external_id"]), "no external id: null")
        XCTAssertEqual(identities[1]["external_id"] as? String, "W-17")
        let models = try objects(shown["models"])
        XCTAssertEqual(models.count, 1)
        let model = try XCTUnwrap(models.first)
        keys(model, ["watchlist", "model", "embeddings", "max_embedding_id", "tombstones", "generation", "indexed_through",
                     "up_to_date", "last_build", "segments"])
        XCTAssertEqual((model["model"] as? [String: Any])?["name"] as? String, "dlib_resnet_v1")
        XCTAssertEqual(model["embeddings"] as? Int, 2)
        XCTAssertEqual(model["up_to_date"] as? Bool, false, "no index built yet")
        XCTAssertTrue(isNull(model["last_build"]))

        // One identity: the shape of GET /watchlists/{w}/identities/{id}, with its faces.
        let one = try object(try f.binary.run(["watchlist", "show", "--watchlist", "hamilton", "Lin-Manuel Miranda", "--json",
                                               "--database", f.url]))
        keys(one, ["id", "name", "external_id", "metadata", "faces", "created_at", "watchlist", "face_records"])
        XCTAssertEqual(one["id"] as? Int64, identities[1]["id"] as? Int64)
        XCTAssertEqual(one["watchlist"] as? String, "hamilton")
        let face = try XCTUnwrap(try objects(one["face_records"]).first)
        keys(face, ["face_id", "embedding_id", "img_name", "hash", "box", "detection_score", "model"])
        let row = try f.admin.execute("""
            SELECT f.id, e.id, f.detection_score FROM \(f.schema).faces f JOIN \(f.schema).embeddings e ON e.face_id = f.id
            WHERE f.identity_id = $1
            """, [.int8(one["id"] as? Int64 ?? 0)])[0]
        XCTAssertEqual(face["face_id"] as? Int64, try row.decode(0, as: Int64.self))
        XCTAssertEqual(face["embedding_id"] as? Int64, try row.decode(1, as: Int64.self))
        XCTAssertEqual(face["hash"] as? String, try SHA256Hex.file(at: lin))
        XCTAssertEqual(face["img_name"] as? String, lin)
        XCTAssertEqual((face["box"] as? [Double])?.count, 4)
        XCTAssertEqual(face["detection_score"] as? Double ?? 0, Double(try row.decode(2, as: Float.self)), accuracy: 1e-6)

        let unknown = try f.binary.run(["watchlist", "show", "--watchlist", "hamilton", "Nobody", "--json", "--database", f.url])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
    }

    func testIndexStatusJSON() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let before = try object(try f.binary.run(["index", "status", "--watchlist", "hamilton", "--json", "--database", f.url]))
        keys(before, ["watchlist", "model", "embeddings", "max_embedding_id", "tombstones", "generation", "indexed_through",
                      "up_to_date", "last_build", "segments"])
        XCTAssertTrue(isNull(before["last_build"]), "never built: null")
        XCTAssertEqual(try objects(before["segments"]).count, 0)
        XCTAssertEqual(before["indexed_through"] as? Int64, 0)
        XCTAssertEqual(before["up_to_date"] as? Bool, false)

        let built = try f.binary.run(["index", "build", "--watchlist", "hamilton", "--database", f.url])
        XCTAssertEqual(built.status, 0, built.stderr)
        let after = try object(try f.binary.run(["index", "status", "--watchlist", "hamilton", "--json", "--database", f.url]))
        let maxID = try f.admin.execute("SELECT max(id) FROM \(f.schema).embeddings").scalar(Int64.self)
        XCTAssertEqual(after["watchlist"] as? String, "hamilton")
        XCTAssertEqual(after["embeddings"] as? Int, 2)
        XCTAssertEqual(after["tombstones"] as? Int, 0)
        XCTAssertEqual(after["max_embedding_id"] as? Int64, maxID)
        XCTAssertEqual(after["indexed_through"] as? Int64, maxID)
        XCTAssertEqual(after["up_to_date"] as? Bool, true)
        let model = try XCTUnwrap(after["model"] as? [String: Any])
        keys(model, ["name", "sha256", "dimension", "metric"])
        XCTAssertEqual(model["dimension"] as? Int, 128)
        XCTAssertEqual(model["metric"] as? String, "euclidean")
        XCTAssertEqual(model["sha256"] as? String,
                       try f.admin.execute("SELECT weights_sha256 FROM \(f.schema).embedding_models").scalar(String.self))
        let build = try XCTUnwrap(after["last_build"] as? [String: Any])
        keys(build, ["status", "factory", "started_at", "finished_at", "batches", "added"])
        XCTAssertEqual(build["status"] as? String, "done")
        XCTAssertEqual(build["factory"] as? String, "HNSW32,Flat")
        XCTAssertEqual(build["added"] as? Int, 2)
        XCTAssertEqual(build["batches"] as? Int, 1)
        let times = try f.admin.execute("SELECT build_started_at, build_finished_at FROM \(f.schema).index_state")[0]
        XCTAssertEqual(build["started_at"] as? String, iso(try times.decode(0, as: Date.self)))
        XCTAssertEqual(build["finished_at"] as? String, iso(try times.decode(1, as: Date.self)))
        let segment = try XCTUnwrap(try objects(after["segments"]).first)
        keys(segment, ["first_id", "last_id", "vectors", "factory", "requested_factory", "metric", "dimension", "bytes",
                       "compacted_tombstones", "kind", "kind_version"])
        XCTAssertEqual(segment["kind"] as? String, "faiss")
        XCTAssertEqual(segment["kind_version"] as? String,
                       try f.admin.execute("SELECT kind_version FROM \(f.schema).index_segments").scalar(String.self))
        XCTAssertEqual(segment["last_id"] as? Int64, maxID)
        XCTAssertEqual(segment["vectors"] as? Int, 2)
        XCTAssertEqual(segment["compacted_tombstones"] as? Int, 0)
        XCTAssertEqual(segment["bytes"] as? Int,
                       try f.admin.execute("SELECT octet_length(bytes) FROM \(f.schema).index_segments").scalar(Int.self))
    }

    func testDBStatusJSON() throws {
        let f = try EndToEndFixture(self)
        let fresh = try object(try f.binary.run(["db", "status", "--json", "--database", f.url]))
        keys(fresh, ["source", "url", "embedded", "reachable", "error", "server_version", "schema"])
        XCTAssertEqual(fresh["source"] as? String, "option")
        XCTAssertTrue(isNull(fresh["embedded"]), "another server: no embedded cluster")
        XCTAssertEqual(fresh["reachable"] as? Bool, true)
        XCTAssertTrue(isNull(fresh["error"]))
        let number = try f.admin.execute("SHOW server_version_num").scalar(String.self)
        XCTAssertEqual(fresh["server_version"] as? String, Int(number).map { "\($0 / 10000).\($0 % 10000)" })
        let unmigrated = try XCTUnwrap(fresh["schema"] as? [String: Any])
        keys(unmigrated, ["version", "latest", "state"])
        XCTAssertTrue(isNull(unmigrated["version"]), "a new schema was never migrated")
        XCTAssertEqual(unmigrated["latest"] as? Int, Migrations.latestVersion)
        XCTAssertEqual(unmigrated["state"] as? String, "not_migrated")

        XCTAssertEqual(try f.binary.run(["db", "migrate", "--database", f.url]).status, 0)
        let migrated = try XCTUnwrap(try object(try f.binary.run(["db", "status", "--json", "--database", f.url]))["schema"]
            as? [String: Any])
        XCTAssertEqual(migrated["version"] as? Int, Migrations.latestVersion)
        XCTAssertEqual(migrated["state"] as? String, "current")

        // The embedded cluster of an empty FACEJOB_HOME: not created, not running, exit 69 with the document.
        let home = f.folder.appendingPathComponent("home")
        let stopped = try object(try f.binary.run(["db", "status", "--json"],
                                                  environment: ["FACEJOB_HOME": home.path, "FACEJOB_DATABASE_URL": ""]),
                                 status: 69)
        XCTAssertEqual(stopped["source"] as? String, "embedded")
        XCTAssertEqual(stopped["reachable"] as? Bool, false)
        XCTAssertNotNil(stopped["error"] as? String)
        XCTAssertTrue(isNull(stopped["schema"]) && isNull(stopped["server_version"]))
        let embedded = try XCTUnwrap(stopped["embedded"] as? [String: Any])
        keys(embedded, ["data_directory", "log_file", "initialized", "running", "pid"])
        XCTAssertEqual(embedded["initialized"] as? Bool, false)
        XCTAssertEqual(embedded["running"] as? Bool, false)
        XCTAssertTrue(isNull(embedded["pid"]))
        XCTAssertTrue((embedded["data_directory"] as? String ?? "").hasPrefix(home.path), "\(embedded)")
    }

    func testDoctorJSON() throws {
        let f = try EndToEndFixture(self)
        // No model files and a schema never migrated: four problems, each with its fix.
        let noModels = f.folder.appendingPathComponent("no-models")
        try FileManager.default.createDirectory(at: noModels, withIntermediateDirectories: true)
        let broken = try object(try f.binary.run(["doctor", "--json", "--database", f.url], environment: ["FACEJOB_MODELS": noModels.path]),
                                status: 69)
        keys(broken, ["ok", "problems", "checks"])
        XCTAssertEqual(broken["ok"] as? Bool, false)
        XCTAssertEqual(broken["problems"] as? Int, 4)
        let checks = try objects(broken["checks"])
        for check in checks { keys(check, ["name", "ok", "detail", "fix"]) }
        let failed = checks.filter { $0["ok"] as? Bool == false }
        XCTAssertEqual(failed.map { $0["name"] as? String },
                       ["model mtcnn.fjm", "model dlib_shape_predictor_5.fjm", "model dlib_resnet_v1.fjm", "database schema"])
        XCTAssertEqual(failed.prefix(3).map { $0["fix"] as? String }, Array(repeating: "scripts/setup", count: 3))
        XCTAssertEqual(failed.last?["fix"] as? String, "facejob db migrate --database URL")
        XCTAssertTrue(checks.filter { $0["ok"] as? Bool == true }.allSatisfy { isNull($0["fix"]) }, "a passed check has no fix")

        // The models setup installed and a migrated schema: every check passes.
        let models = try XCTUnwrap(ProcessInfo.processInfo.environment["FACEJOB_MODELS"], "scripts/test sets FACEJOB_MODELS")
        XCTAssertEqual(try f.binary.run(["db", "migrate", "--database", f.url]).status, 0)
        let healthy = try object(try f.binary.run(["doctor", "--json", "--database", f.url], environment: ["FACEJOB_MODELS": models]))
        XCTAssertEqual(healthy["ok"] as? Bool, true)
        XCTAssertEqual(healthy["problems"] as? Int, 0)
        XCTAssertEqual(try objects(healthy["checks"]).map { $0["name"] as? String },
                       ["FFmpeg libraries", "OpenBLAS", "oneDNN", "FAISS", "cores", "model mtcnn.fjm", "model dlib_shape_predictor_5.fjm",
                        "model dlib_resnet_v1.fjm", "database", "database schema"])
        XCTAssertTrue(try objects(healthy["checks"]).allSatisfy { isNull($0["fix"]) })
    }
}
