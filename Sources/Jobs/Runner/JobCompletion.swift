import Foundation
import Store

/// What happens when a job's last input closes: the sightings derived from its hits are stored
/// (the database is the record; other tools and the API read them), then the reports are written
/// from the same snapshot, and, when the manifest asks for `unknowns`, its unmatched tracks are
/// grouped into unknown persons (`unknowns/` in the report folder). The runner and
/// `facejob worker` both end jobs here.
public enum JobCompletion {
    /// Stores the job's sightings and writes its reports; returns the report files.
    @discardableResult
    public static func complete(jobID: Int64, jobs: JobRepository, manifest: Manifest? = nil) throws -> [URL] {
        var snapshot = try JobReports.snapshot(jobID: jobID, jobs: jobs, manifest: manifest)
        try storeSightings(snapshot, jobs: jobs)
        if snapshot.manifest.report.clips {
            let clips = EvidenceClips.cut(snapshot.bundle, into: URL(fileURLWithPath: snapshot.job.reportDirectory))
            try jobs.replaceClips(jobID: jobID, clips)
            snapshot = JobReports.Snapshot(job: snapshot.job, manifest: snapshot.manifest,
                                           bundle: EvidenceClips.apply(clips, to: snapshot.bundle))
        }
        var files = try JobReports.write(snapshot)
        if let settings = snapshot.manifest.unknowns, settings.enabled,
           snapshot.job.status == "done" || snapshot.job.status == "partial" {
            var request = UnknownsRequest(actor: AuditActor.current)
            request.jobs = [String(jobID)]
            request.threshold = settings.threshold
            request.bestFaces = settings.bestFaces
            request.minFaces = settings.minFaces
            request.thumbnails = snapshot.manifest.report.thumbnails
            request.reportDirectory = URL(fileURLWithPath: snapshot.job.reportDirectory).appendingPathComponent("unknowns").path
            do {
                files += try UnknownsRunner.run(request, connection: jobs.connection).reports.map { URL(fileURLWithPath: $0) }
            } catch UnknownsError.nothingToCluster {
                // No finished input stored faces: there is no one to group.
            }
        }
        return files
    }

    /// Replaces the job's stored sightings with those of the snapshot.
    static func storeSightings(_ snapshot: JobReports.Snapshot, jobs: JobRepository) throws {
        let bundle = snapshot.bundle
        let ordinalOf = bundle.header.inputOrdinals
        try jobs.replaceSightings(jobID: snapshot.job.id, bundle.sightings.map { s in
            SightingRow(id: s.sightingID, inputOrdinal: ordinalOf[s.inputPath] ?? -1, trackID: s.trackID,
                        identityID: s.identityID, firstMicroseconds: s.firstPtsMicroseconds,
                        lastMicroseconds: s.lastPtsMicroseconds, bestFrame: s.bestFrame, bestDistance: s.bestDistance,
                        count: Int64(s.hitCount))
        })
    }
}
