import Foundation

/// `unknowns.csv`: one row per sighting of an unknown person, persons in the report's order and
/// each person's sightings in time order; the person's columns repeat on each of its rows.
public struct UnknownsCSVWriter {
    /// Creates the writer.
    public init() {}

    /// `unknowns.csv`.
    public var fileName: String { "unknowns.csv" }

    /// Column names in order.
    public static let columns = [
        "person", "status", "promoted_to", "cameras", "sightings", "sighting", "job_id", "job_name",
        "input_path", "input_sha256", "camera", "first_pts_ms", "first_time", "first_wall_clock",
        "last_pts_ms", "last_time", "last_wall_clock", "faces", "best_frame", "thumbnail",
    ]

    /// The file's content.
    public func render(_ report: UnknownsReport) -> String {
        var out = CSVRow.line(Self.columns)
        for person in report.persons {
            for sighting in person.sightings { out += CSVRow.line(Self.fields(person, sighting)) }
        }
        return out
    }

    /// One sighting's fields, in `columns` order.
    public static func fields(_ person: UnknownsReport.Person, _ s: UnknownsReport.Sighting) -> [String] {
        [
            person.label, person.status, person.promotedTo ?? "", String(person.cameraCount),
            String(person.sightings.count), s.reference, String(s.jobID), s.jobName, s.inputPath, s.inputSHA256,
            s.camera ?? "", MediaTime.milliseconds(microseconds: s.firstPtsMicroseconds),
            MediaTime.clock(microseconds: s.firstPtsMicroseconds), s.firstWallClock ?? "",
            MediaTime.milliseconds(microseconds: s.lastPtsMicroseconds),
            MediaTime.clock(microseconds: s.lastPtsMicroseconds), s.lastWallClock ?? "",
            String(s.faces), String(s.bestFrame), s.thumbnailPath ?? "",
        ]
    }

    /// Renders and writes the file atomically into `directory`; returns the file's URL.
    @discardableResult
    public func write(_ report: UnknownsReport, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(fileName)
        try AtomicFile.write(Data(render(report).utf8), to: url)
        return url
    }
}
