import Common
import Footage
import Foundation
import Postgres
import Reports
import Store

/// Groups the unmatched tracks of finished jobs into unknown persons and writes their report.
///
/// Under the clustering lock (a second run waits), the selected inputs' tracks that no identity
/// matched and no person holds yet are read, each as the mean of its best faces; they join the
/// persons already known where they match them, or form new persons (`UnknownClustering`); and
/// they are stored with one audit row. Persons keep their ids for good: a later job's tracks join
/// them without renumbering, and an analyst's merges and splits are never undone.
public enum UnknownsRunner {
    /// Clusters, then writes `unknowns.csv`, `unknowns.json` and `unknowns.html`.
    public static func run(_ request: UnknownsRequest, connection: PostgresConnection,
                           progress: ((String) -> Void)? = nil) throws -> UnknownsSummary {
        try request.validate()
        let jobs = JobRepository(connection: connection)
        let selection: RescanSelection
        do {
            selection = try RescanSelection.resolve(jobs: request.jobs, all: request.all, camera: request.camera,
                                                    from: request.from, to: request.to, repository: jobs)
        } catch let error as RescanError {
            switch error {
            case .unfinished(let names): throw UnknownsError.unfinished(names)
            case .noSelection: throw UnknownsError.noSelection
            case .nothingToRescan(let why): throw UnknownsError.nothingToCluster(why: why)
            default: throw error
            }
        }
        let unknowns = UnknownRepository(connection: connection)
        let started = Date()
        let chosen = Set(selection.inputs.map { "\($0.job.id)/\($0.record.ordinal)" })
        let jobIDs = selection.jobs.map(\.id)
        let (placed, joined, created) = try unknowns.whileClustering { () -> (Int, Int, [Int64]) in
            let fresh = try unknowns.unplacedTracks(jobIDs: jobIDs, bestFaces: request.bestFaces, minFaces: request.minFaces)
                .filter { chosen.contains("\($0.jobID)/\($0.inputOrdinal)") }
            let known = try unknowns.placedTracks(embedderSHA256: selection.model.sha256)
            let outcome = UnknownClustering(threshold: Float(request.threshold)).place(new: fresh, placed: known)
            let ids = try unknowns.createPersons(count: outcome.newPersons.count, embedderSHA256: selection.model.sha256)
            var placements = outcome.joined
            for (id, tracks) in zip(ids, outcome.newPersons) { placements += tracks.map { (id, $0) } }
            try unknowns.place(placements)
            try AuditLog(connection: connection).append(
                actor: request.actor, action: "unknowns.cluster", subject: "unknowns",
                details: ["jobs": jobIDs, "tracks_placed": placements.count, "joined_existing": outcome.joined.count,
                          "new_persons": ids.map { "U-\($0)" }, "threshold": request.threshold,
                          "best_faces": request.bestFaces, "min_faces": request.minFaces,
                          "model_sha256": selection.model.sha256])
            return (placements.count, outcome.joined.count, ids)
        }
        let seconds = Date().timeIntervalSince(started)
        progress?("\(placed) unmatched track(s) placed: \(joined) joined known persons, \(created.count) new person(s)")
        let newest = selection.jobs.max { $0.id < $1.id }
        let directory = request.reportDirectory ?? newest.map { "\($0.reportDirectory)/unknowns" } ?? "unknowns"
        let written = try UnknownsReports.write(jobIDs: jobIDs, threshold: request.threshold,
                                                directory: URL(fileURLWithPath: directory), thumbnails: request.thumbnails,
                                                connection: connection)
        return UnknownsSummary(jobs: jobIDs, tracksPlaced: placed, joinedExisting: joined,
                               newPersons: created.map { "U-\($0)" }, persons: written.persons, skipped: selection.skipped,
                               warnings: written.warnings, reports: written.files.map(\.path), clusteringSeconds: seconds)
    }
}
