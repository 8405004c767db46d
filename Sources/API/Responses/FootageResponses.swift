import Footage
import Jobs

/// `POST /jobs/{id}/rescan`'s answer: the rescan's outcome and its report files.
struct RescanResponse: Encodable {
    var rescan: String
    var status: String
    var alreadyFinished: Bool
    var jobs: [Int64]
    var watchlist: String
    var inputs: Int
    var faces: Int64
    var hits: Int64
    var framesDecoded: Int64
    var skipped: [String]
    var warnings: [String]
    var reports: [String]

    init(_ r: RescanResult) {
        rescan = "R\(r.rescan.id)"
        status = r.rescan.status
        alreadyFinished = r.alreadyFinished
        jobs = r.rescan.jobIDs
        watchlist = r.rescan.watchlistName
        inputs = r.inputs.count
        faces = r.faces
        hits = r.hits
        framesDecoded = r.framesDecoded
        skipped = r.rescan.skipped
        warnings = r.inputs.compactMap(\.warning)
        reports = r.reportFiles.map(\.path)
    }

    enum CodingKeys: String, CodingKey {
        case rescan, status, jobs, watchlist, inputs, faces, hits, skipped, warnings, reports
        case alreadyFinished = "already_finished", framesDecoded = "frames_decoded"
    }
}

/// `POST /footage/search`'s answer, shaped like `/search`: one list per probe face in `results`,
/// each a list of sightings best first, and `probes` naming what each list answers.
struct FootageSearchResponse: Encodable {
    var results: [[FootageSighting]]
    var probes: [String]
    var threshold: Float
}
