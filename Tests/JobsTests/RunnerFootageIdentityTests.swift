import Foundation
import Store
import TestSupport
import XCTest
@testable import Jobs

/// A job is the footage it searched and the folder it reported to: the same manifest in another
/// folder is another job, and a job whose footage changed says so instead of reprinting reports
/// about footage that is no longer there (`--force` searches the footage as it is now).
final class RunnerFootageIdentityTests: XCTestCase {
    /// A case folder with `footage/` holding links or files, and a manifest over `inputs` in it.
    private func caseFolder(_ scene: RunnerScene, _ name: String, inputs: String) throws -> (folder: URL, manifest: URL) {
        let folder = scene.folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("footage"), withIntermediateDirectories: true)
        let manifest = folder.appendingPathComponent("case.json")
        try """
            {"name": "footage-identity", "watchlist": "hamilton", "inputs": [\(inputs)],
             "sampling": {"every_n": 25}, "report": {"formats": ["json"], "thumbnails": false}}
            """.write(to: manifest, atomically: true, encoding: .utf8)
        return (folder, manifest)
    }

    private func link(_ path: String, in folder: URL, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(path).path, withDestinationPath: target)
    }

    private func load(_ manifest: URL) throws -> ValidatedManifest { try ManifestValidator.load(path: manifest.path) }

    func testTheSameManifestInAnotherFolderIsAnotherJobWithItsOwnReports() throws {
        let scene = try RunnerScene(self)
        let a = try caseFolder(scene, "case-a", inputs: #"{"path": "footage/cam.mp4"}"#)
        let b = try caseFolder(scene, "case-b", inputs: #"{"path": "footage/cam.mp4"}"#)
        try link("footage/cam.mp4", in: a.folder, to: scene.clip)
        try link("footage/cam.mp4", in: b.folder, to: scene.clip)
        XCTAssertEqual(try Data(contentsOf: a.manifest), try Data(contentsOf: b.manifest), "byte-identical manifests")

        let first = try scene.runner().run(try load(a.manifest), options: RunOptions(workers: 1))
        XCTAssertEqual(first.job.status, "done")
        let second = try scene.runner().run(try load(b.manifest), options: RunOptions(workers: 1))
        XCTAssertFalse(second.alreadyFinished, "case-b's footage was never searched")
        XCTAssertNotEqual(second.job.id, first.job.id)
        XCTAssertEqual(second.inputs.map(\.file.path), [b.folder.appendingPathComponent("footage/cam.mp4").path])
        let reportsB = b.folder.appendingPathComponent("reports/footage-identity/hits.json").path
        XCTAssertEqual(second.reportFiles.map(\.path), [reportsB])
        XCTAssertTrue(FileManager.default.fileExists(atPath: reportsB))

        let again = try scene.runner().run(try load(a.manifest), options: RunOptions(workers: 1))
        XCTAssertTrue(again.alreadyFinished)
        XCTAssertEqual(again.job.id, first.job.id)
    }

    func testChangedFootageIsRefusedUntilForcedAndForceRecordsTheFootageAsItIsNow() throws {
        let scene = try RunnerScene(self)
        let c = try caseFolder(scene, "case", inputs: #"{"glob": "footage/*.mp4"}"#)
        let cam = c.folder.appendingPathComponent("footage/cam.mp4")
        try FileManager.default.copyItem(atPath: scene.clip, toPath: cam.path)
        let first = try scene.runner().run(try load(c.manifest), options: RunOptions(workers: 1))
        XCTAssertEqual(first.job.status, "done")
        let original = try XCTUnwrap(first.inputs.first?.file.sha256)

        // The file is re-exported shorter: same path, other content.
        let shorter = c.folder.appendingPathComponent("shorter.mp4")
        _ = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffmpeg"),
                                 ["-v", "error", "-y", "-i", scene.clip, "-t", "4", "-c", "copy", shorter.path])
        try FileManager.default.removeItem(at: cam)
        try FileManager.default.moveItem(at: shorter, to: cam)
        XCTAssertThrowsError(try scene.runner().run(try load(c.manifest), options: RunOptions(workers: 1))) { error in
            guard case .footageChanged(let job, _, let finished, let change) = error as? JobStoreError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(job, first.job.id)
            XCTAssertTrue(finished)
            XCTAssertTrue(change.contains(cam.path) && change.contains("has changed") && change.contains(original.prefix(16)), change)
            XCTAssertEqual((error as? JobStoreError)?.exitStatus, .failure)
        }
        XCTAssertEqual(try scene.jobs.inputs(jobID: first.job.id).map(\.file.sha256), [original], "nothing was touched")

        let forced = try scene.runner().run(try load(c.manifest), options: RunOptions(force: true, workers: 1))
        XCTAssertEqual(forced.job.id, first.job.id)
        XCTAssertEqual(forced.job.status, "done")
        let now = try InputFile.fingerprint(ResolvedInput(path: cam.path, specIndex: 0, camera: nil, recordedAt: nil)).sha256
        XCTAssertNotEqual(now, original)
        XCTAssertEqual(forced.inputs.map(\.file.sha256), [now], "the job records the footage it searched")
        XCTAssertLessThan(try XCTUnwrap(forced.inputs.first?.checkpointMs), 4000)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: try XCTUnwrap(forced.reportFiles.first)))
                                   as? [String: Any])
        let header = try XCTUnwrap(report["header"] as? [String: Any])
        XCTAssertEqual((header["inputs"] as? [[String: Any]])?.compactMap { $0["sha256"] as? String }, [now])

        // A new file matching the glob is new footage too.
        try link("footage/lobby.mp4", in: c.folder, to: scene.clip)
        XCTAssertThrowsError(try scene.runner().run(try load(c.manifest), options: RunOptions(workers: 1))) { error in
            guard case .footageChanged(_, _, _, let change) = error as? JobStoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(change.contains("is new"), change)
        }
        let widened = try scene.runner().run(try load(c.manifest), options: RunOptions(force: true, workers: 1))
        XCTAssertEqual(widened.inputs.map { ($0.file.path as NSString).lastPathComponent }, ["cam.mp4", "lobby.mp4"])
        XCTAssertEqual(widened.inputs.map(\.status), ["done", "done"])
    }

    func testResumingNeedsTheFootageItsCheckpointsReferTo() {
        func file(_ path: String, _ sha: String) -> InputFile {
            InputFile(input: ResolvedInput(path: path, specIndex: 0, camera: nil, recordedAt: nil), sizeBytes: 1,
                      modifiedNanoseconds: 0, sha256: sha)
        }
        let recorded = [file("/f/a.mp4", "aa"), file("/f/b.mp4", "bb")].map(\.newJobInput)
        // While a job resumes, its finished input 0's results stand whatever the file holds now;
        // unfinished input 1's checkpoint needs the same content.
        let resuming: (Int) -> Bool = { $0 == 1 }
        func change(_ current: [InputFile], _ matters: (Int) -> Bool) -> String? {
            InputFile.footageChange(recorded: recorded, current: current, contentMatters: matters)
        }
        XCTAssertNil(change([file("/f/a.mp4", "aa"), file("/f/b.mp4", "bb")], { _ in true }))
        XCTAssertNil(change([file("/f/a.mp4", "a2"), file("/f/b.mp4", "bb")], resuming))
        XCTAssertEqual(change([file("/f/a.mp4", "a2"), file("/f/b.mp4", "bb")], { _ in true }),
                       "/f/a.mp4 has changed (SHA-256 aa… recorded, a2… now)")
        XCTAssertEqual(change([file("/f/a.mp4", "aa"), file("/f/b.mp4", "b2")], resuming),
                       "/f/b.mp4 has changed (SHA-256 bb… recorded, b2… now)")
        XCTAssertEqual(change([file("/f/a.mp4", "aa")], resuming),
                       "/f/b.mp4 is no longer named by the manifest (it now names 1 files, the job 2)")
        XCTAssertEqual(change([file("/f/a.mp4", "aa"), file("/f/b.mp4", "bb"), file("/f/c.mp4", "cc")], resuming),
                       "/f/c.mp4 is new (the manifest now names 3 files, the job 2)")
        XCTAssertEqual(change([file("/f/a.mp4", "aa"), file("/f/c.mp4", "bb")], resuming),
                       "input 1 was /f/b.mp4 and is now /f/c.mp4")
    }
}
