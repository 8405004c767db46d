import Search
import Store
import Watchlist

/// A route's request, read and validated from its fields (a JSON object or a multipart form
/// alike; every problem is a 400 naming the field) before any work is queued.
protocol APIRequest: Sendable {
    /// The fields the route accepts; any other is refused, so a typo does not pass silently.
    static var fields: Set<String> { get }
    /// Reads the request; image paths must lie under `roots`.
    init(_ fields: RequestFields, roots: AllowedRoots) throws
}

/// `POST /register`: a photo, the identity it shows and the watchlist it goes into.
struct RegisterRequest: APIRequest {
    static let fields = FaceRequestOptions.commonFields.union(
        ["img", "img_name", "identity", "watchlist", "external_id", "metadata", "all_faces"])
    let options: FaceRequestOptions
    let watchlist: String
    let identity: IdentitySpec
    let allFaces: Bool
    let image: ImageInput

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        options = try FaceRequestOptions(fields)
        watchlist = try fields.requiredString("watchlist")
        guard let name = try (fields.string("identity") ?? fields.string("img_name"))?.trimmingCharacters(in: .whitespaces),
              !name.isEmpty else {
            throw APIError.badRequest("\"identity\" (or DeepFace's \"img_name\") is required")
        }
        identity = IdentitySpec(name: name, externalID: try fields.string("external_id").flatMap { $0.isEmpty ? nil : $0 },
                                metadata: try fields.metadata("metadata"))
        allFaces = try fields.bool("all_faces", default: false)
        image = try ImageInput.read(fields, "img", roots: roots)
    }
}

/// `POST /build/index`: the watchlist and the build's settings.
struct BuildIndexRequest: APIRequest {
    static let fields: Set<String> = ["watchlist", "model_name", "factory", "rebuild", "no_wait", "batch_size",
                                      "compaction_threshold"]
    let watchlist: String
    let build: IndexBuildRequest

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        if let model = try fields.string("model_name"), !["dlib", "dlib_resnet_v1"].contains(model.lowercased()) {
            throw APIError.badRequest("model_name \"\(model)\" is not served here")
        }
        watchlist = try fields.requiredString("watchlist")
        build = IndexBuildRequest(factory: try fields.string("factory"),
                                  batchSize: try fields.int("batch_size", default: 16_384, range: 1...1_000_000),
                                  compactionThreshold: try fields.double("compaction_threshold") ?? 0.2,
                                  rebuild: try fields.bool("rebuild", default: false),
                                  noWait: try fields.bool("no_wait", default: false), threads: 1)
    }
}

/// `POST /search`: a photo (every face is a query) or one embedding, and how to search.
struct SearchRequest: APIRequest {
    static let fields = FaceRequestOptions.commonFields.union(
        ["img", "embedding", "watchlist", "search_method", "k", "threshold", "ef_search", "nprobe"])
    let options: FaceRequestOptions
    let watchlist: String
    let search: WatchlistSearchRequest
    /// The embedding sent as such, or nil when `image` is the probe.
    let embedding: [Float]?
    let image: ImageInput?

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        options = try FaceRequestOptions(fields)
        watchlist = try fields.requiredString("watchlist")
        let methodName = (try fields.string("search_method") ?? "exact").lowercased()
        guard let method = SearchMethod(rawValue: methodName) else {
            throw APIError.badRequest("search_method must be \"exact\" or \"ann\", got \"\(methodName)\"")
        }
        var request = WatchlistSearchRequest(method: method, k: try fields.int("k", default: 5, range: 1...1000))
        if let t = try fields.double("threshold") {
            guard t >= 0 else { throw APIError.badRequest("\"threshold\" must be non-negative") }
            request.threshold = Float(t)
        }
        if fields.has("ef_search") { request.ann.efSearch = try fields.int("ef_search", default: 0, range: 1...100_000) }
        if fields.has("nprobe") { request.ann.nprobe = try fields.int("nprobe", default: 0, range: 1...100_000) }
        search = request
        embedding = try fields.floats("embedding")
        image = embedding == nil ? try ImageInput.read(fields, "img", roots: roots) : nil
        if embedding != nil, fields.has("img") { throw APIError.badRequest("send either \"img\" or \"embedding\", not both") }
    }
}

/// `POST /verify`: two photos and the threshold.
struct VerifyRequest: APIRequest {
    static let fields = FaceRequestOptions.commonFields.union(["img1", "img2", "threshold", "silent"])
    let options: FaceRequestOptions
    let verifier: Verifier
    let first: ImageInput
    let second: ImageInput

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        options = try FaceRequestOptions(fields)
        let threshold = try fields.double("threshold") ?? Verifier.defaultThreshold
        guard threshold > 0 else { throw APIError.badRequest("\"threshold\" must be positive") }
        verifier = try Verifier(threshold: threshold)
        first = try ImageInput.read(fields, "img1", roots: roots)
        second = try ImageInput.read(fields, "img2", roots: roots)
    }
}

/// `POST /represent`: a photo and how many of its faces to embed.
struct RepresentRequest: APIRequest {
    static let fields = FaceRequestOptions.commonFields.union(["img", "max_faces"])
    let options: FaceRequestOptions
    let maxFaces: Int
    let image: ImageInput

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        options = try FaceRequestOptions(fields)
        maxFaces = try fields.int("max_faces", default: Int.max, range: 1...Int.max)
        image = try ImageInput.read(fields, "img", roots: roots)
    }
}
