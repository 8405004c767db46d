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
            inputs: files.map {
                NewJobInput(path: $0.input.path, sha256: $0.sha256, sizeBytes: $0.sizeBytes,
                            modifiedNanoseconds: $0.modifiedNanoseconds, camera: $0.input.camera,
                            recordedAt: $0.input.recordedAt?.rfc3339, recordedAtSource: $0.input.recordedAtSource)
            })
    }
}
