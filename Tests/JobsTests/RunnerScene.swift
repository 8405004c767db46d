import Foundation
import Postgres
import Store
import TestSupport
import XCTest
@testable import Jobs

/// What every end-to-end runner test starts from: real footage and engine, a private schema with
/// the Hamilton cast (or the people given) enrolled, and a temporary folder for manifests; the
/// `facejob` binary for the tests that run it.
struct RunnerScene {
    let video: URL
    let engine: FaceEngineProvider
    let db: RunnerTestSchema
    let connection: PostgresConnection
    let jobs: JobRepository
    let folder: URL
    /// The Hamilton clip's path.
    let clip: String
    /// The `facejob` binary beside the test bundle, or a skip.
    var binary: URL { get throws { try RunnerScene.binary() } }

    /// `enrolling`: photos in the video folder and their identities' names, enrolled into `hamilton`.
    init(_ test: XCTestCase, enrolling people: [(file: String, name: String)] = RunnerFixtures.hamiltonCast) throws {
        video = try RunnerFixtures.videoData()
        engine = try RunnerFixtures.engine()
        db = try RunnerTestSchema(test)
        connection = try db.connect()
        if !people.isEmpty { try RunnerFixtures.enroll(connection, engine: engine, video: video, people: people) }
        jobs = JobRepository(connection: connection)
        folder = try RunnerFixtures.temporaryFolder(test)
        clip = video.appendingPathComponent("short_hamilton_clip.mp4").path
    }

    /// An in-process runner on the scene's schema (batches of the runner's default size unless given).
    func runner(batchSize: Int? = nil) -> JobRunner {
        let db = self.db
        var environment = WorkerEnvironment(connect: { try db.connect() }, engine: engine)
        if let batchSize { environment.batchSize = batchSize }
        return JobRunner(environment: environment)
    }

    /// The hit set of an uninterrupted in-process run of job `name` over `inputs` (default: the
    /// clip), every `every`-th frame: what an interrupted run must end with.
    func uninterruptedHits(name: String = "uninterrupted", inputs: [String]? = nil, every: Int = 10,
                           batchSize: Int = 2, options: RunOptions = RunOptions()) throws -> [String] {
        let manifest = try ManifestValidator.load(path: RunnerFixtures.writeManifest(
            in: folder, name: name, inputs: inputs ?? [clip], every: every).path)
        let outcome = try runner(batchSize: batchSize).run(manifest, options: options)
        let hits = try JobHitSet.of(jobs, jobID: outcome.job.id)
        XCTAssertFalse(hits.isEmpty, "the uninterrupted run found hits")
        return hits
    }

    /// Runs the binary to its end with `args` (and `environment` instead of the test's, if given).
    func run(_ args: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ChildProcess.run(try binary, args, environment: environment ?? [:], inherit: environment == nil)
        return (r.status, r.stdout, r.stderr)
    }

    /// The `facejob` binary beside the test bundle (`swift build` builds it), or `$FACEJOB_BIN`.
    static func binary() throws -> URL { try FacejobBinary.locate().url }

    /// Opens job `manifest` and starts its run without working on it, the way a `facejob run` or
    /// `POST /jobs` elsewhere would leave it for `facejob worker`s: running, every input pending.
    func queue(_ manifest: URL) throws -> JobRecord {
        let validated = try ManifestValidator.load(path: manifest.path)
        let (job, _) = try jobs.openJob(for: validated, files: try InputFile.fingerprint(validated.inputs))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try jobs.startRun(jobID: job.id, reset: false, modelsJSON: String(decoding: try encoder.encode(engine.models), as: UTF8.self))
        return try jobs.job(id: job.id)
    }
}
