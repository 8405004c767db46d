import Foundation

/// `unknowns.json`: `{ "generated_at", "job_ids", "threshold", "warnings", "persons": […] }` with
/// keys in a fixed order, persons in the report's order and their sightings in time order.
public struct UnknownsJSONWriter {
    /// Creates the writer.
    public init() {}

    /// `unknowns.json`.
    public var fileName: String { "unknowns.json" }

    /// The file's content.
    public func render(_ report: UnknownsReport) -> String {
        OrderedJSON.object([
            ("generated_at", .string(report.generatedAt)),
            ("job_ids", .array(report.jobIDs.map { .int($0) })),
            ("threshold", .fixed(report.threshold, places: 6)),
            ("warnings", .array(report.warnings.map { .string($0) })),
            ("persons", .array(report.persons.map(Self.person))),
        ]).text() + "\n"
    }

    /// Renders and writes the file atomically into `directory`; returns the file's URL.
    @discardableResult
    public func write(_ report: UnknownsReport, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(fileName)
        try AtomicFile.write(Data(render(report).utf8), to: url)
        return url
    }

    /// Earliest wall clock the person was seen at, or nil unless every sighting has one.
    static func firstSeen(_ person: UnknownsReport.Person) -> String? {
        wallClock(person.sightings.map(\.firstWallClock), earliest: true)
    }

    /// Latest wall clock the person was seen at, or nil unless every sighting has one.
    static func lastSeen(_ person: UnknownsReport.Person) -> String? {
        wallClock(person.sightings.map(\.lastWallClock), earliest: false)
    }

    /// The earliest or latest of `clocks` by instant (offsets may differ); nil when any is missing.
    /// Clocks that do not parse fall back to the sightings' time order (first or last element).
    private static func wallClock(_ clocks: [String?], earliest: Bool) -> String? {
        let known = clocks.compactMap { $0 }
        guard !known.isEmpty, known.count == clocks.count else { return nil }
        let instants = known.compactMap { RFC3339.parse($0)?.epochNanoseconds }
        guard instants.count == known.count else { return earliest ? known.first : known.last }
        let pairs = zip(instants, known)
        let pick = earliest ? pairs.min { $0.0 < $1.0 } : pairs.max { $0.0 < $1.0 }
        return pick?.1
    }

    static func person(_ p: UnknownsReport.Person) -> OrderedJSON {
        .object([
            ("id", .string(p.label)),
            ("status", .string(p.status)),
            ("promoted_to", .optional(p.promotedTo)),
            ("cameras", .int(p.cameraCount)),
            ("sightings_count", .int(p.sightings.count)),
            ("first_seen", .optional(firstSeen(p))),
            ("last_seen", .optional(lastSeen(p))),
            ("thumbnails", .array(p.thumbnails.map { .string($0) })),
            ("sightings", .array(p.sightings.map(sighting))),
        ])
    }

    static func sighting(_ s: UnknownsReport.Sighting) -> OrderedJSON {
        .object([
            ("reference", .string(s.reference)),
            ("job_id", .int(s.jobID)),
            ("job_name", .string(s.jobName)),
            ("input_path", .string(s.inputPath)),
            ("input_sha256", .string(s.inputSHA256)),
            ("camera", .optional(s.camera)),
            ("first_pts_ms", .number(MediaTime.milliseconds(microseconds: s.firstPtsMicroseconds))),
            ("last_pts_ms", .number(MediaTime.milliseconds(microseconds: s.lastPtsMicroseconds))),
            ("first_wall_clock", .optional(s.firstWallClock)),
            ("last_wall_clock", .optional(s.lastWallClock)),
            ("faces", .int(s.faces)),
            ("best_frame", .int(s.bestFrame)),
            ("thumbnail", .optional(s.thumbnailPath)),
        ])
    }
}
