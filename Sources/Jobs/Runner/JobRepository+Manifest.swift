import Foundation
import Store

extension JobRepository {
    /// Opens the job a validated manifest describes over its fingerprinted inputs: the same name
    /// and manifest hash give the same job. Used by `facejob run` and the REST API alike, so both
    /// record inputs (camera, recording start and its source) the same way.
    public func openJob(for manifest: ValidatedManifest, files: [InputFile]) throws -> (job: JobRecord, created: Bool) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let manifestJSON = String(decoding: try encoder.encode(manifest.manifest), as: UTF8.self)
        return try openJob(
            name: manifest.manifest.name, manifestHash: manifest.hash, manifestJSON: manifestJSON,
            baseDirectory: manifest.baseDirectory.path, reportDirectory: manifest.reportDirectory.path,
            inputs: files.map(\.newJobInput))
    }
}

extension JobRecord {
    /// The manifest the job recorded (defaults filled in).
    public func decodedManifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(manifestJSON.utf8))
    }
}

extension InputFile {
    /// The input as the job records it.
    public var newJobInput: NewJobInput {
        NewJobInput(path: input.path, sha256: sha256, sizeBytes: sizeBytes, modifiedNanoseconds: modifiedNanoseconds,
                    camera: input.camera, recordedAt: input.recordedAt?.rfc3339, recordedAtSource: input.recordedAtSource)
    }

    /// How `current` (the manifest's footage now) differs from the footage a job recorded, in
    /// words; nil when it is the same. The files must be the same paths in the same order (a
    /// glob matching a new file, or no longer matching one, changes the job). Content (SHA-256)
    /// must be unchanged for every input of a finished job, whose reports describe it, and for the
    /// unfinished inputs of a job that resumes, whose checkpoints refer to it.
    public static func footageChange(recorded: [JobInputRecord], current: [InputFile], jobFinished: Bool) -> String? {
        footageChange(recorded: recorded.map(\.file), current: current) { i in
            jobFinished || !(InputStatus(rawValue: recorded[i].status)?.isFinished ?? false)
        }
    }

    /// `footageChange` over recorded files, comparing content where `contentMatters(ordinal)`.
    static func footageChange(recorded: [NewJobInput], current: [InputFile], contentMatters: (Int) -> Bool) -> String? {
        for i in 0..<max(recorded.count, current.count) {
            guard i < recorded.count else {
                return "\(current[i].input.path) is new (the manifest now names \(current.count) files, the job \(recorded.count))"
            }
            let old = recorded[i]
            guard i < current.count else {
                return "\(old.path) is no longer named by the manifest (it now names \(current.count) files, "
                    + "the job \(recorded.count))"
            }
            let now = current[i]
            if old.path != now.input.path {
                return "input \(i) was \(old.path) and is now \(now.input.path)"
            }
            if contentMatters(i), old.sha256 != now.sha256 {
                return "\(now.input.path) has changed (SHA-256 \(old.sha256.prefix(16))… recorded, \(now.sha256.prefix(16))… now)"
            }
        }
        return nil
    }
}
