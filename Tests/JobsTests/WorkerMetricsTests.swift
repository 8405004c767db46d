import Foundation
import Store
import XCTest
@testable import Jobs

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `facejob worker --metrics-port`: a real worker process on a real queued job serves Prometheus
/// metrics whose counters agree with the job's database rows and report, and logs JSON records
/// carrying its worker id.
final class WorkerMetricsTests: XCTestCase {
    func testAWorkersMetricsAgreeWithTheJobsReport() throws {
        let scene = try RunnerScene(self)
        let every = 2
        let manifest = try RunnerFixtures.writeManifest(in: scene.folder, name: "metered", inputs: [scene.clip], every: every)

        // Queue the job as `facejob run` would, without running it: the worker is the only one on it.
        let validated = try ManifestValidator.load(path: manifest.path)
        let (job, _) = try scene.jobs.openJob(for: validated, files: try InputFile.fingerprint(validated.inputs))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try scene.jobs.startRun(jobID: job.id, reset: false,
                                modelsJSON: String(decoding: try encoder.encode(scene.engine.models), as: UTF8.self))

        let port = try Self.freePort()
        let log = scene.folder.appendingPathComponent("worker.log")
        XCTAssertTrue(FileManager.default.createFile(atPath: log.path, contents: nil))
        let worker = Process()
        worker.executableURL = try scene.binary
        worker.arguments = ["worker", "--job", "metered", "--database", scene.db.url, "--threads", "1", "--wait",
                            "--metrics-port", String(port), "--log-format", "json"]
        // A short lease, so that the heartbeat renews it several times during the input.
        worker.environment = ProcessInfo.processInfo.environment.merging(["FACEJOB_LEASE_SECONDS": "1.5"]) { $1 }
        worker.standardOutput = FileHandle.nullDevice
        worker.standardError = try FileHandle(forWritingTo: log)
        try worker.run()
        defer {
            if worker.isRunning { worker.terminate() }
            worker.waitUntilExit()
        }
        let metrics = URL(string: "http://127.0.0.1:\(port)/metrics")!

        // The endpoint answers once the worker has started, with every job metric from the start.
        var first: [String: Double]?
        let deadline = Date().addingTimeInterval(300)
        while first == nil, Date() < deadline, worker.isRunning {
            first = Self.scrape(metrics)
            if first == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let early = try XCTUnwrap(first, "the worker served /metrics: \(Self.text(log))")
        for series in ["facejob_frames_analysed_total", "facejob_hits_total", #"facejob_queue_depth{queue="decoded"}"#,
                       #"facejob_stage_seconds_total{stage="embed"}"#, #"facejob_inputs_finished_total{status="failed"}"#] {
            XCTAssertNotNil(early[series], "\(series) in \(early.keys.sorted())")
        }

        // Scrape until the worker has closed the input and completed the job (its reports written).
        var final: [String: Double] = [:]
        while Date() < deadline, worker.isRunning {
            final = Self.scrape(metrics) ?? [:]
            if final[#"facejob_inputs_finished_total{status="done"}"#] == 1, Self.text(log).contains(#""message":"job completed"#) {
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertEqual(try scene.jobs.job(id: job.id).status, "done", Self.text(log))
        XCTAssertEqual(final[#"facejob_inputs_finished_total{status="done"}"#], 1, "\(final)")

        // The counters agree with the database and with the report the worker wrote.
        let input = try XCTUnwrap(try scene.jobs.inputs(jobID: job.id).first)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: job.reportDirectory)
            .appendingPathComponent("hits.json"))) as? [String: Any]
        let header = try XCTUnwrap(report?["header"] as? [String: Any])
        let reported = try XCTUnwrap((header["inputs"] as? [[String: Any]])?.first)
        let csvRows = try String(contentsOf: URL(fileURLWithPath: job.reportDirectory).appendingPathComponent("hits.csv"), encoding: .utf8)
            .split(separator: "\n").count - 1
        XCTAssertEqual(final["facejob_frames_analysed_total"], Double(input.framesSampled))
        XCTAssertEqual(final["facejob_frames_analysed_total"], (reported["frames_sampled"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(final["facejob_faces_detected_total"], Double(input.faces))
        XCTAssertEqual(final["facejob_faces_detected_total"], (reported["faces"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(final["facejob_hits_total"], Double(input.hits))
        XCTAssertEqual(final["facejob_hits_total"], (reported["hits"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(final["facejob_hits_total"], Double(csvRows), "one hits.csv row per hit")
        XCTAssertGreaterThan(final["facejob_frames_analysed_total"] ?? 0, 0)
        XCTAssertGreaterThan(final["facejob_faces_detected_total"] ?? 0, 0)
        XCTAssertGreaterThan(final["facejob_hits_total"] ?? 0, 0)
        let sampled = try XCTUnwrap(final["facejob_frames_sampled_total"])
        XCTAssertEqual(sampled, final["facejob_frames_analysed_total"], "every sampled frame was analysed and committed")
        XCTAssertGreaterThanOrEqual(final["facejob_frames_decoded_total"] ?? 0, (sampled - 1) * Double(every) + 1,
                                    "every \(every)th decoded frame was sampled")
        for stage in ["decode", "detect", "embed", "search", "commit"] {
            XCTAssertGreaterThan(final[#"facejob_stage_seconds_total{stage="\#(stage)"}"#] ?? 0, 0, stage)
        }
        // Nothing is left in the queues, no input is held, the lease was renewed and never lost.
        for queue in ["decoded", "analysis", "embedding"] {
            XCTAssertEqual(final[#"facejob_queue_depth{queue="\#(queue)"}"#], 0, queue)
        }
        XCTAssertEqual(final[#"facejob_queue_capacity{queue="decoded"}"#], 0)
        XCTAssertEqual(final["facejob_inputs_running"], 0)
        XCTAssertEqual(final[#"facejob_inputs_finished_total{status="failed"}"#], 0)
        XCTAssertGreaterThan(final["facejob_lease_renewals_total"] ?? 0, 0, "\(final)")
        XCTAssertEqual(final["facejob_lease_losses_total"], 0)
        // The clip is smaller than 1280x720: the gate has every frame searched whole.
        XCTAssertEqual(final[#"facejob_gate_frames_total{decision="full"}"#], final["facejob_frames_analysed_total"])
        XCTAssertEqual(final[#"facejob_gate_frames_total{decision="regions"}"#], 0)

        // Its log: one JSON record per line; the input's records name job, input and worker.
        worker.terminate()
        worker.waitUntilExit()
        let records = try Self.text(log).split(separator: "\n").map { line in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let finished = try XCTUnwrap(records.first { $0["message"] as? String == "input finished" }, Self.text(log))
        let metadata = try XCTUnwrap(finished["metadata"] as? [String: Any])
        XCTAssertEqual((metadata["job_id"] as? NSNumber)?.int64Value, job.id)
        XCTAssertEqual((metadata["input"] as? NSNumber)?.intValue, 0)
        XCTAssertEqual(metadata["worker_id"] as? String, "\(WorkerIdentity.host):\(worker.processIdentifier):0")
        XCTAssertEqual((metadata["gate_full"] as? NSNumber)?.doubleValue, final["facejob_frames_analysed_total"])
        XCTAssertEqual((metadata["gate_still"] as? NSNumber)?.intValue, 0)
        XCTAssertTrue(records.contains { ($0["metadata"] as? [String: Any])?["address"] as? String == metrics.absoluteString },
                      "the worker logged where it serves metrics")
    }

    /// The Prometheus text at `url` as series (`name{labels}`) → value; nil when it does not answer 200.
    static func scrape(_ url: URL) -> [String: Double]? {
        let done = DispatchSemaphore(value: 0)
        let box = ScrapeBox()
        URLSession.shared.dataTask(with: url) { data, response, _ in
            if (response as? HTTPURLResponse)?.statusCode == 200, let data { box.text = String(decoding: data, as: UTF8.self) }
            done.signal()
        }.resume()
        done.wait()
        guard let text = box.text else { return nil }
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            series[String(line[..<space])] = value
        }
        return series
    }

    private final class ScrapeBox: @unchecked Sendable { var text: String? }

    static func text(_ file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    /// A loopback TCP port nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("no socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(bound, "bind to a free port: errno \(errno)")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
