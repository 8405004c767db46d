import Footage
import Foundation
import Jobs
import Reports

/// `POST /jobs/{id}/rescan`: the watchlist to search the job's stored faces against, and how.
struct RescanJobRequest: APIRequest {
    static let fields: Set<String> = ["watchlist", "threshold", "thumbnails", "force", "report_dir"]
    let watchlist: String
    let threshold: Double?
    let thumbnails: Bool
    let force: Bool
    let reportDirectory: String?

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        watchlist = try fields.requiredString("watchlist")
        threshold = try fields.double("threshold")
        if let threshold, !(threshold.isFinite && threshold >= 0) {
            throw APIError.badRequest("\"threshold\" must be a non-negative number")
        }
        thumbnails = try fields.bool("thumbnails", default: true)
        force = try fields.bool("force", default: false)
        reportDirectory = try fields.string("report_dir")
    }

    func rescan(job: String) -> RescanRequest {
        RescanRequest(jobs: [job], watchlist: watchlist, reportDirectory: reportDirectory, threshold: threshold,
                      thumbnails: thumbnails, force: force)
    }
}

/// `POST /footage/search`: whom to look for (a photo, an embedding, a stored detection or a
/// job's sighting) in the stored faces of finished jobs, and how many sightings to return.
struct FootageSearchRequest: APIRequest {
    static let fields = FaceRequestOptions.commonFields.union(
        ["img", "embedding", "detection", "sighting", "all_faces", "k", "threshold", "jobs", "camera", "from", "to"])
    /// Exactly one of these is the probe.
    enum Probe {
        case image(ImageInput)
        case embedding([Float])
        case detection(String)
        case sighting(String)
    }

    let options: FaceRequestOptions
    let probe: Probe
    let allFaces: Bool
    let k: Int
    let threshold: Float?
    let jobs: [String]?
    let camera: String?
    let from: Date?
    let to: Date?

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        options = try FaceRequestOptions(fields)
        let given = ["img", "embedding", "detection", "sighting"].filter(fields.has)
        guard given.count == 1 else {
            throw APIError.badRequest("send exactly one probe: \"img\", \"embedding\", \"detection\" or \"sighting\""
                                      + (given.isEmpty ? "" : " (got \(given.joined(separator: ", ")))"))
        }
        switch given[0] {
        case "embedding": probe = .embedding(try fields.floats("embedding") ?? [])
        case "detection": probe = .detection(try fields.requiredString("detection"))
        case "sighting": probe = .sighting(try fields.requiredString("sighting"))
        default: probe = .image(try ImageInput.read(fields, "img", roots: roots))
        }
        allFaces = try fields.bool("all_faces", default: false)
        k = try fields.int("k", default: 10, range: 1...10_000)
        if let t = try fields.double("threshold") {
            guard t.isFinite, t >= 0 else { throw APIError.badRequest("\"threshold\" must be non-negative") }
            threshold = Float(t)
        } else {
            threshold = nil
        }
        jobs = try fields.string("jobs").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        camera = try fields.string("camera")
        from = try Self.time(fields, "from")
        to = try Self.time(fields, "to")
    }

    private static func time(_ fields: RequestFields, _ key: String) throws -> Date? {
        guard let text = try fields.string(key) else { return nil }
        guard let start = RecordingStart(rfc3339: text) else {
            throw APIError.badRequest("\"\(key)\" must be an RFC 3339 time such as 2026-03-01T08:00:00Z, got \"\(text)\"")
        }
        return Date(timeIntervalSince1970: Double(start.epochNanoseconds) / 1e9)
    }
}
