/// `hits.csv`: one row per hit, RFC 4180 quoting, `\n` line ends, fixed decimals.
public struct CSVReportWriter: ReportWriter {
    /// Creates the writer.
    public init() {}

    /// `hits.csv`.
    public var fileName: String { "hits.csv" }

    /// Column names in order; documented in docs/reports.md.
    public static let columns = [
        "job_name", "job_id", "input_path", "input_sha256", "camera", "frame_index", "pts_ms", "time",
        "wall_clock", "box_x", "box_y", "box_width", "box_height", "box_x_norm", "box_y_norm",
        "box_width_norm", "box_height_norm", "frame_width", "frame_height", "detection_score",
        "identity_id", "identity_name", "external_id", "distance", "similarity", "rank", "threshold",
        "track_id", "sighting_id", "thumbnail", "model_name", "model_sha256", "review",
    ]

    /// The file's content.
    public func render(_ bundle: ReportBundle) -> String {
        var out = CSVRow.line(Self.columns)
        for hit in bundle.sortedHits { out += CSVRow.line(Self.fields(hit)) }
        return out
    }

    /// One hit's fields, in `columns` order.
    public static func fields(_ hit: HitRecord) -> [String] {
        let norm = hit.box.normalised(frameWidth: hit.frameWidth, frameHeight: hit.frameHeight)
        return [
            hit.jobName, hit.jobID, hit.inputPath, hit.inputSHA256, hit.camera ?? "",
            String(hit.frameIndex), MediaTime.milliseconds(microseconds: hit.ptsMicroseconds),
            MediaTime.clock(microseconds: hit.ptsMicroseconds), hit.wallClock ?? "",
            px(hit.box.x), px(hit.box.y), px(hit.box.width), px(hit.box.height),
            unit(norm.x), unit(norm.y), unit(norm.width), unit(norm.height),
            String(hit.frameWidth), String(hit.frameHeight), unit(hit.detectionScore),
            String(hit.identityID), hit.identityName, hit.externalID ?? "",
            unit(hit.distance), unit(hit.similarity), String(hit.rank), unit(hit.threshold),
            String(hit.trackID), hit.sightingID.map(String.init) ?? "", hit.thumbnailPath ?? "",
            hit.modelName, hit.modelSHA256, hit.review?.decision ?? "",
        ]
    }

    static func px(_ v: Double) -> String { FixedDecimal.format(v, places: 1) }
    static func unit(_ v: Double) -> String { FixedDecimal.format(v, places: 6) }
}

/// Joins escaped fields into one CSV line.
enum CSVRow {
    static func line(_ fields: [String]) -> String {
        fields.map(CSVField.escape).joined(separator: ",") + "\n"
    }
}
