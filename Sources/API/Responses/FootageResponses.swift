import Footage

/// `POST /footage/search`'s answer, shaped like `/search`: one list per probe face in `results`,
/// each a list of sightings best first, and `probes` naming what each list answers.
struct FootageSearchResponse: Encodable {
    var results: [[FootageSighting]]
    var probes: [String]
    var threshold: Float
}
