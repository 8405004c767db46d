import Foundation
import Postgres
import Reports
import Store

/// One unknown person as `facejob unknowns list` and `GET /unknowns` show it.
public struct UnknownsListing: Encodable, Sendable, Equatable {
    /// `U-<id>`.
    public var id: String
    /// `active` or `promoted`.
    public var status: String
    /// `watchlist: identity <id>` once promoted.
    public var promotedTo: String?
    /// Its tracks.
    public var sightings: Int
    /// Distinct cameras (an input without a camera counts as its own).
    public var cameras: Int
    /// Camera names seen.
    public var cameraNames: [String]
    /// Its tracks, `JOB/INPUT/TRACK`.
    public var tracks: [String]
    /// Jobs it was seen in.
    public var jobs: [Int64]
    /// First and last seen, wall clock (RFC 3339), when the footage's recording time is known.
    public var firstSeen: String?
    /// Last seen.
    public var lastSeen: String?

    enum CodingKeys: String, CodingKey {
        case id, status, sightings, cameras, tracks, jobs
        case promotedTo = "promoted_to", cameraNames = "camera_names", firstSeen = "first_seen", lastSeen = "last_seen"
    }

    /// Persons with a track in `jobIDs` (all when nil) seen at least `minSightings` times, in the
    /// report's order: most cameras, then most sightings, then id.
    public static func read(jobIDs: [Int64]?, minSightings: Int = 1, camera: String? = nil,
                            connection: PostgresConnection) throws -> [UnknownsListing] {
        let persons = try UnknownRepository(connection: connection).persons(inJobs: jobIDs)
        let jobs = JobRepository(connection: connection)
        var inputs: [String: JobInputRecord] = [:]
        for jobID in Set(persons.flatMap { $0.tracks.map(\.jobID) }).sorted() {
            for input in try jobs.inputs(jobID: jobID) { inputs["\(jobID)/\(input.ordinal)"] = input }
        }
        return persons.compactMap { p -> UnknownsListing? in
            guard p.tracks.count >= minSightings else { return nil }
            let records = p.tracks.map { inputs["\($0.jobID)/\($0.inputOrdinal)"] }
            let cameraNames = Set(records.compactMap { $0?.file.camera })
            if let camera, !cameraNames.contains(camera) { return nil }
            let cameraKeys = Set(zip(p.tracks, records).map { t, r in
                UnknownsOrder.cameraKey(camera: r?.file.camera, footageSHA256: r?.file.sha256 ?? t.reference)
            })
            var first: (Int64, String)?, last: (Int64, String)?
            for (t, r) in zip(p.tracks, records) {
                guard let start = r?.file.recordedAt.flatMap(RecordingStart.init(rfc3339:)) else { continue }
                let a = start.epochNanoseconds(atMicroseconds: t.firstMicroseconds)
                let b = start.epochNanoseconds(atMicroseconds: t.lastMicroseconds)
                if first == nil || a < (first?.0 ?? 0) { first = (a, start.wallClock(atMicroseconds: t.firstMicroseconds)) }
                if last == nil || b > (last?.0 ?? 0) { last = (b, start.wallClock(atMicroseconds: t.lastMicroseconds)) }
            }
            return UnknownsListing(id: p.label, status: p.status, promotedTo: UnknownsOrder.promotedTo(p), sightings: p.tracks.count,
                                   cameras: cameraKeys.count, cameraNames: cameraNames.sorted(),
                                   tracks: p.tracks.map(\.reference), jobs: Array(Set(p.tracks.map(\.jobID))).sorted(),
                                   firstSeen: first?.1, lastSeen: last?.1)
        }
        .sorted { UnknownsOrder.precedes(($0.cameras, $0.sightings, $0.id), ($1.cameras, $1.sightings, $1.id)) }
    }
}
