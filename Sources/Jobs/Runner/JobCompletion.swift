import Foundation
import Store

/// What happens when a job's last input closes: the sightings derived from its hits are stored
/// (the database is the record; other tools and the API read them), then the reports are written
/// from the same snapshot. The runner and `facejob worker` both end jobs here.
public enum JobCompletion {
    /// Stores the job's sightings and writes its reports; returns the report files.
    @discardableResult
    public static func complete(jobID: Int64, jobs: JobRepository, manifest: Manifest? = nil) throws -> [URL] {
        let snapshot = try JobReports.snapshot(jobID: jobID, jobs: jobs, manifest: manifest)
        try storeSightings(snapshot, jobs: jobs)
        return try JobReports.write(snapshot)
    }

    /// Replaces the job's stored sightings with those of the snapshot.
    static func storeSightings(_ snapshot: JobReports.Snapshot, jobs: JobRepository) throws {
        let bundle = snapshot.bundle
        let ordinalOf = Dictionary(bundle.header.inputs.enumerated().map { ($0.element.path, $0.offset) },
                                   uniquingKeysWith: { a, _ in a })
        try jobs.replaceSightings(jobID: snapshot.job.id, bundle.sightings.map { s in
            SightingRow(id: s.sightingID, inputOrdinal: ordinalOf[s.inputPath] ?? -1, trackID: s.trackID,
                        identityID: s.identityID, firstMicroseconds: s.firstPtsMicroseconds,
                        lastMicroseconds: s.lastPtsMicroseconds, bestFrame: s.bestFrame, bestDistance: s.bestDistance,
                        count: Int64(s.hitCount))
        })
    }
}
