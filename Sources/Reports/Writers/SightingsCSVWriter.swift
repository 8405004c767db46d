/// `sightings.csv`: one row per sighting, in time order.
public struct SightingsCSVWriter: ReportWriter {
    /// Creates the writer.
    public init() {}

    /// `sightings.csv`.
    public var fileName: String { "sightings.csv" }

    /// Column names in order; documented in docs/reports.md.
    public static let columns = [
        "sighting_id", "job_name", "job_id", "input_path", "input_sha256", "camera", "track_id",
        "identity_id", "identity_name", "external_id", "first_frame", "first_pts_ms", "first_time",
        "first_wall_clock", "last_frame", "last_pts_ms", "last_time", "last_wall_clock", "best_frame",
        "best_pts_ms", "best_time", "best_wall_clock", "best_distance", "hits", "best_thumbnail",
        "review", "reviewed_by", "reviewed_at", "review_reason", "clip", "clip_sha256",
    ]

    /// The file's content.
    public func render(_ bundle: ReportBundle) -> String {
        var out = CSVRow.line(Self.columns)
        for s in bundle.sortedSightings {
            out += CSVRow.line([
                String(s.sightingID), bundle.header.jobName, bundle.header.jobID, s.inputPath, s.inputSHA256,
                s.camera ?? "", String(s.trackID), String(s.identityID), s.identityName, s.externalID ?? "",
                String(s.firstFrame), MediaTime.milliseconds(microseconds: s.firstPtsMicroseconds),
                MediaTime.clock(microseconds: s.firstPtsMicroseconds), s.firstWallClock ?? "",
                String(s.lastFrame), MediaTime.milliseconds(microseconds: s.lastPtsMicroseconds),
                MediaTime.clock(microseconds: s.lastPtsMicroseconds), s.lastWallClock ?? "",
                String(s.bestFrame), MediaTime.milliseconds(microseconds: s.bestPtsMicroseconds),
                MediaTime.clock(microseconds: s.bestPtsMicroseconds), s.bestWallClock ?? "",
                CSVReportWriter.unit(s.bestDistance), String(s.hitCount), s.bestThumbnailPath ?? "",
                s.review?.decision ?? "", s.review?.reviewer ?? "", s.review?.decidedAt ?? "", s.review?.reason ?? "",
                s.clipPath ?? "", s.clipSHA256 ?? "",
            ])
        }
        return out
    }
}
