import Common
import Foundation
import Postgres
import Reports
import Store

/// The unknown persons report of a set of jobs: every person with a track in them, with all its
/// tracks (also those of other jobs), the best face of each shown as a thumbnail cut from the
/// footage after a SHA-256 check.
enum UnknownsReports {
    /// What writing the report did.
    struct Written {
        var files: [URL]
        var persons: Int
        var warnings: [String]
    }

    /// Thumbnails shown per person: the best sighting's, then the best of as many other sightings.
    static let thumbnailsPerPerson = 5

    static func write(jobIDs: [Int64], threshold: Double, directory: URL, thumbnails: Bool,
                      connection: PostgresConnection) throws -> Written {
        let persons = try UnknownRepository(connection: connection).persons(inJobs: jobIDs)
        let jobs = JobRepository(connection: connection)
        var jobNames: [Int64: String] = [:]
        var inputs: [String: JobInputRecord] = [:]
        for jobID in Set(persons.flatMap { $0.tracks.map(\.jobID) }).sorted() {
            jobNames[jobID] = try jobs.job(id: jobID).name
            for input in try jobs.inputs(jobID: jobID) { inputs["\(jobID)/\(input.ordinal)"] = input }
        }
        // Thumbnails: the best face of each track that the report shows, input by input.
        var shown: [String: Set<String>] = [:]
        for person in persons {
            for track in ranked(person.tracks).prefix(thumbnailsPerPerson) {
                shown["\(track.jobID)/\(track.inputOrdinal)", default: []].insert(track.reference)
            }
        }
        var thumbnailOf: [String: String] = [:]
        var warnings: [String] = []
        if thumbnails {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let cutter = StoredFaceThumbnails(reportDirectory: directory)
            for (ordinal, key) in shown.keys.sorted(by: inputOrder).enumerated() {
                guard let input = inputs[key], let references = shown[key] else { continue }
                let tracks = persons.flatMap(\.tracks).filter { references.contains($0.reference) }
                let outcome = cutter.cut(path: input.file.path, sha256: input.file.sha256, jobID: input.jobID, ordinal: ordinal,
                                         faces: tracks.map(\.bestFace), noun: "unknown persons")
                if let warning = outcome.warning { warnings.append(warning) }
                for cut in outcome.thumbnails {
                    for t in tracks where t.bestFrame == cut.frameIndex && t.bestDetection == cut.detectionIndex {
                        thumbnailOf[t.reference] = cut.path
                    }
                }
            }
        }
        let records = persons.map { person -> UnknownsReport.Person in
            let sightings = person.tracks.map { t -> UnknownsReport.Sighting in
                let input = inputs["\(t.jobID)/\(t.inputOrdinal)"]
                let start = input?.file.recordedAt.flatMap(RecordingStart.init(rfc3339:))
                return UnknownsReport.Sighting(
                    reference: t.reference, jobID: t.jobID, jobName: jobNames[t.jobID] ?? "", inputPath: input?.file.path ?? "",
                    inputSHA256: input?.file.sha256 ?? "", camera: input?.file.camera, firstPtsMicroseconds: t.firstMicroseconds,
                    lastPtsMicroseconds: t.lastMicroseconds, firstWallClock: start?.wallClock(atMicroseconds: t.firstMicroseconds),
                    lastWallClock: start?.wallClock(atMicroseconds: t.lastMicroseconds), faces: t.faces, bestFrame: t.bestFrame,
                    thumbnailPath: thumbnailOf[t.reference])
            }
            let ordered = sightings.enumerated().sorted { a, b in
                let ka = sortKey(a.element, start: startOf(person.tracks[a.offset], inputs))
                let kb = sortKey(b.element, start: startOf(person.tracks[b.offset], inputs))
                return ka < kb
            }.map(\.element)
            let cameras = Set(sightings.map { UnknownsOrder.cameraKey(camera: $0.camera, footageSHA256: $0.inputSHA256) })
            let thumbs = ranked(person.tracks).compactMap { thumbnailOf[$0.reference] }
            return UnknownsReport.Person(label: person.label, status: person.status, promotedTo: UnknownsOrder.promotedTo(person),
                                         sightings: ordered, cameraCount: cameras.count,
                                         thumbnails: Array(thumbs.prefix(thumbnailsPerPerson)))
        }
        .sorted {
            UnknownsOrder.precedes(($0.cameraCount, $0.sightings.count, $0.label), ($1.cameraCount, $1.sightings.count, $1.label))
        }
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let report = UnknownsReport(generatedAt: RecordingStart(epochNanoseconds: now, utcOffsetSeconds: 0).rfc3339,
                                    jobIDs: jobIDs, threshold: threshold, persons: records, warnings: warnings)
        let files = try UnknownsReportSet.write(report, to: directory)
        return Written(files: files, persons: records.count, warnings: warnings)
    }

    /// A person's tracks, best face first (detection score, then the track's reference).
    static func ranked(_ tracks: [UnknownTrack]) -> [UnknownTrack] {
        tracks.sorted { $0.bestScore != $1.bestScore ? $0.bestScore > $1.bestScore : $0.reference < $1.reference }
    }

    private static func inputOrder(_ a: String, _ b: String) -> Bool {
        let pa = a.split(separator: "/").compactMap { Int64($0) }, pb = b.split(separator: "/").compactMap { Int64($0) }
        return pa.lexicographicallyPrecedes(pb)
    }

    private static func startOf(_ track: UnknownTrack, _ inputs: [String: JobInputRecord]) -> RecordingStart? {
        inputs["\(track.jobID)/\(track.inputOrdinal)"]?.file.recordedAt.flatMap(RecordingStart.init(rfc3339:))
    }

    /// Wall-clock order where the recording start is known (those first), then job, input and time.
    private static func sortKey(_ s: UnknownsReport.Sighting, start: RecordingStart?) -> SightingKey {
        SightingKey(wallNanoseconds: start?.epochNanoseconds(atMicroseconds: s.firstPtsMicroseconds) ?? Int64.max,
                    jobID: s.jobID, reference: s.reference, first: s.firstPtsMicroseconds)
    }

    private struct SightingKey: Comparable {
        var wallNanoseconds: Int64, jobID: Int64, reference: String, first: Int64
        static func < (a: SightingKey, b: SightingKey) -> Bool {
            (a.wallNanoseconds, a.jobID, a.first, a.reference) < (b.wallNanoseconds, b.jobID, b.first, b.reference)
        }
    }
}
