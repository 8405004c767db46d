/// `hits.json`: `{ "header": …, "hits": […], "sightings": […] }` with keys in a fixed order.
public struct JSONReportWriter: ReportWriter {
    /// Creates the writer.
    public init() {}

    /// `hits.json`.
    public var fileName: String { "hits.json" }

    /// The file's content.
    public func render(_ bundle: ReportBundle) -> String {
        OrderedJSON.object([
            ("format", .string("facejob-report")),
            ("format_version", .int(1)),
            ("header", Self.header(bundle.header)),
            ("hits", .array(bundle.sortedHits.map(Self.hit))),
            ("sightings", .array(bundle.sortedSightings.map(Self.sighting))),
        ]).text() + "\n"
    }

    static func header(_ h: ReportHeader) -> OrderedJSON {
        var fields: [(String, OrderedJSON)] = [
            ("job_name", .string(h.jobName)),
            ("job_id", .string(h.jobID)),
            ("manifest_sha256", .string(h.manifestHash)),
            ("facejob_version", .string(h.facejobVersion)),
            ("generated_at", .string(h.generatedAt)),
            ("models", .array(h.models.map {
                .object([("role", .string($0.role)), ("name", .string($0.name)),
                         ("weights_sha256", .string($0.weightsSHA256))])
            })),
            ("inputs", .array(h.inputs.map {
                .object([
                    ("path", .string($0.path)), ("sha256", .string($0.sha256)),
                    ("size_bytes", .int($0.sizeBytes)), ("camera", .optional($0.camera)),
                    ("recorded_at", .optional($0.recordedAt?.rfc3339)),
                    ("recorded_at_source", .optional($0.recordedAt == nil ? nil : $0.recordedAtSource)),
                    ("status", .string($0.status)),
                    ("error", .optional($0.error)), ("frames_sampled", .int($0.framesSampled)),
                    ("faces", .int($0.faces)), ("hits", .int($0.hits)),
                ])
            })),
            ("settings", .object(h.settings.map { ($0.name, .string($0.value)) })),
            ("timings", .object(h.timings.map { ($0.stage, .fixed($0.seconds, places: 3)) })),
        ]
        if let r = h.rescan {
            fields.append(("rescan", .object([
                ("id", .string(r.id)), ("jobs", .array(r.jobs.map { .string($0) })), ("watchlist", .string(r.watchlist)),
                ("watchlist_state", .string(r.watchlistState)), ("skipped", .array(r.skipped.map { .string($0) })),
                ("warnings", .array(r.warnings.map { .string($0) })), ("frames_decoded", .int(r.framesDecoded)),
            ])))
        }
        return .object(fields)
    }

    static func hit(_ hit: HitRecord) -> OrderedJSON {
        let norm = hit.box.normalised(frameWidth: hit.frameWidth, frameHeight: hit.frameHeight)
        return .object([
            ("input_path", .string(hit.inputPath)),
            ("input_sha256", .string(hit.inputSHA256)),
            ("camera", .optional(hit.camera)),
            ("frame_index", .int(hit.frameIndex)),
            ("pts_ms", .number(MediaTime.milliseconds(microseconds: hit.ptsMicroseconds))),
            ("time", .string(MediaTime.clock(microseconds: hit.ptsMicroseconds))),
            ("wall_clock", .optional(hit.wallClock)),
            ("box", .object([("x", .fixed(hit.box.x, places: 1)), ("y", .fixed(hit.box.y, places: 1)),
                             ("width", .fixed(hit.box.width, places: 1)), ("height", .fixed(hit.box.height, places: 1))])),
            ("box_norm", .object([("x", .fixed(norm.x, places: 6)), ("y", .fixed(norm.y, places: 6)),
                                  ("width", .fixed(norm.width, places: 6)), ("height", .fixed(norm.height, places: 6))])),
            ("frame_width", .int(hit.frameWidth)),
            ("frame_height", .int(hit.frameHeight)),
            ("detection_score", .fixed(hit.detectionScore, places: 6)),
            ("identity", .object([("id", .int(hit.identityID)), ("name", .string(hit.identityName)),
                                  ("external_id", .optional(hit.externalID))])),
            ("distance", .fixed(hit.distance, places: 6)),
            ("similarity", .fixed(hit.similarity, places: 6)),
            ("rank", .int(hit.rank)),
            ("threshold", .fixed(hit.threshold, places: 6)),
            ("track_id", .int(hit.trackID)),
            ("sighting_id", hit.sightingID.map { .int($0) } ?? .null),
            ("thumbnail", .optional(hit.thumbnailPath)),
            ("model", .object([("name", .string(hit.modelName)), ("weights_sha256", .string(hit.modelSHA256))])),
            ("review", review(hit.review)),
        ])
    }

    static func sighting(_ s: SightingRecord) -> OrderedJSON {
        func moment(_ frame: Int64, _ pts: Int64, _ wall: String?) -> OrderedJSON {
            .object([("frame_index", .int(frame)), ("pts_ms", .number(MediaTime.milliseconds(microseconds: pts))),
                     ("time", .string(MediaTime.clock(microseconds: pts))), ("wall_clock", .optional(wall))])
        }
        return .object([
            ("sighting_id", .int(s.sightingID)),
            ("input_path", .string(s.inputPath)),
            ("input_sha256", .string(s.inputSHA256)),
            ("camera", .optional(s.camera)),
            ("track_id", .int(s.trackID)),
            ("identity", .object([("id", .int(s.identityID)), ("name", .string(s.identityName)),
                                  ("external_id", .optional(s.externalID))])),
            ("first_seen", moment(s.firstFrame, s.firstPtsMicroseconds, s.firstWallClock)),
            ("last_seen", moment(s.lastFrame, s.lastPtsMicroseconds, s.lastWallClock)),
            ("best", moment(s.bestFrame, s.bestPtsMicroseconds, s.bestWallClock)),
            ("best_distance", .fixed(s.bestDistance, places: 6)),
            ("hits", .int(s.hitCount)),
            ("best_thumbnail", .optional(s.bestThumbnailPath)),
            ("review", review(s.review)),
            ("clip", clip(s)),
        ])
    }

    /// A sighting's evidence clip, why there is none, or null when none was asked for.
    static func clip(_ s: SightingRecord) -> OrderedJSON {
        if let path = s.clipPath {
            return .object([("path", .string(path)), ("sha256", .optional(s.clipSHA256))])
        }
        return s.clipWarning.map { .object([("warning", .string($0))]) } ?? .null
    }

    /// An analyst's decision, or null.
    static func review(_ r: ReviewStatus?) -> OrderedJSON {
        guard let r else { return .null }
        return .object([("decision", .string(r.decision)), ("reviewer", .string(r.reviewer)),
                        ("decided_at", .string(r.decidedAt)), ("reason", .optional(r.reason))])
    }
}
