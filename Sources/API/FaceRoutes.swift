import FaceEngine
import Foundation
import Search
import Store
import Watchlist

/// The DeepFace-compatible routes: register, build index, search, verify, represent. Each parses
/// and validates its fields, calls the watchlist / engine library on the pool, and shapes the answer.
extension APIService {
    static let registerFields = FaceRequestOptions.commonFields.union(
        ["img", "img_name", "identity", "watchlist", "external_id", "metadata", "all_faces"])

    /// `POST /register`: enrolls the largest face (all with `all_faces`) under `identity` (or `img_name`).
    func register(_ fields: RequestFields) async throws -> RegisterResponse {
        let options = try FaceRequestOptions(fields)
        let watchlistName = try fields.requiredString("watchlist")
        guard let name = try (fields.string("identity") ?? fields.string("img_name"))?.trimmingCharacters(in: .whitespaces),
              !name.isEmpty else {
            throw APIError.badRequest("\"identity\" (or DeepFace's \"img_name\") is required")
        }
        let identity = IdentitySpec(name: name, externalID: try fields.string("external_id").flatMap { $0.isEmpty ? nil : $0 },
                                    metadata: try fields.metadata("metadata"))
        let allFaces = try fields.bool("all_faces", default: false)
        let image = try ImageInput.read(fields, "img", roots: roots)
        let actor = self.actor
        return try await withRepository { [self] repository in
            let pixels = try image.decode()
            let faces = try self.faces(in: pixels, field: "img", enforceDetection: options.enforceDetection)
            guard !faces.isEmpty else { return RegisterResponse(watchlist: watchlistName, inserted: 0, facesDetected: 0) }
            let enroller = try Enroller(repository: repository, watchlist: watchlistName, analyzer: self.analyzer(), allFaces: allFaces,
                                        model: self.model(repository), actor: actor)
            let photo = EnrollmentPhoto(label: image.label, sha256: image.sha256, width: pixels.width, height: pixels.height,
                                        identity: identity)
            let (chosen, outcome) = try enroller.enroll(photo: photo, faces: faces)
            var out = RegisterResponse(watchlist: watchlistName, inserted: 0, facesDetected: faces.count, identity: name,
                                       imageSHA256: image.sha256, facialAreas: chosen.map(\.facialArea))
            switch outcome {
            case .inserted(let identityID, let faceIDs)?:
                out.inserted = faceIDs.count
                out.identityID = identityID
                out.faceIDs = faceIDs
                out.duplicate = false
            case .duplicate(let identityID, let identityName)?:
                out.identityID = identityID
                out.identity = identityName
                out.duplicate = true
            case nil:
                break
            }
            return out
        }
    }

    static let buildIndexFields: Set<String> = ["watchlist", "model_name", "factory", "rebuild", "no_wait",
                                                "batch_size", "compaction_threshold"]

    /// `POST /build/index`: adds the embeddings no sealed segment covers (resumable, see docs/watchlist.md).
    func buildIndex(_ fields: RequestFields) async throws -> BuildIndexResponse {
        if let model = try fields.string("model_name"), !["dlib", "dlib_resnet_v1"].contains(model.lowercased()) {
            throw APIError.badRequest("model_name \"\(model)\" is not served here")
        }
        let watchlistName = try fields.requiredString("watchlist")
        let request = IndexBuildRequest(factory: try fields.string("factory"),
                                        batchSize: try fields.int("batch_size", default: 16_384, range: 1...1_000_000),
                                        compactionThreshold: try fields.double("compaction_threshold") ?? 0.2,
                                        rebuild: try fields.bool("rebuild", default: false),
                                        noWait: try fields.bool("no_wait", default: false), threads: 1)
        return try await withRepository { [self] repository in
            let watchlist = try repository.watchlist(named: watchlistName)
            let scope = WatchlistScope(watchlist: watchlist, model: try self.model(repository))
            let started = Date()
            let outcome = try WatchlistIndexBuilder(repository: repository, scope: scope).build(request)
            return BuildIndexResponse(watchlist: watchlistName, factory: outcome.factory, added: outcome.added,
                                      batches: outcome.batches, segments: outcome.segments,
                                      compactedSegments: outcome.compaction.rebuilt.count,
                                      removedVectors: outcome.compaction.removedVectors,
                                      seconds: (Date().timeIntervalSince(started) * 1000).rounded() / 1000)
        }
    }

    static let searchFields = FaceRequestOptions.commonFields.union(
        ["img", "embedding", "watchlist", "search_method", "k", "threshold", "ef_search", "nprobe"])

    /// `POST /search`: one result list per probe face (DeepFace's `{"results": [[…], …]}`).
    func search(_ fields: RequestFields) async throws -> SearchResponse {
        let options = try FaceRequestOptions(fields)
        let watchlistName = try fields.requiredString("watchlist")
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
        let embedding = try fields.floats("embedding")
        let image = embedding == nil ? try ImageInput.read(fields, "img", roots: roots) : nil
        if embedding != nil, fields.has("img") { throw APIError.badRequest("send either \"img\" or \"embedding\", not both") }
        let searchRequest = request
        return try await withRepository { [self] repository in
            let watchlist = try repository.watchlist(named: watchlistName)
            var probes: [AnalyzedFace] = []
            let queries: [QueryFace]
            if let embedding {
                guard embedding.count == FaceEmbedder.dimensions else {
                    throw APIError.badRequest("\"embedding\" must have \(FaceEmbedder.dimensions) values, got \(embedding.count)")
                }
                queries = [QueryFace(embedding: embedding)]
            } else if let image {
                probes = try self.faces(of: image, field: "img", enforceDetection: options.enforceDetection)
                queries = probes.map { QueryFace(embedding: $0.embedding, box: $0.boxValues) }
            } else {
                queries = []
            }
            let scope = WatchlistScope(watchlist: watchlist, model: try self.model(repository))
            let results = try WatchlistSearcher.shared.search(queries, scope: scope, request: searchRequest, in: repository)
            return SearchResponse(results, watchlist: watchlistName, method: method, probes: probes)
        }
    }

    static let verifyFields = FaceRequestOptions.commonFields.union(["img1", "img2", "threshold", "silent"])

    /// `POST /verify`: DeepFace's verify dict from `facejob verify`'s decision.
    func verifyRoute(_ fields: RequestFields) async throws -> VerifyResponse {
        let options = try FaceRequestOptions(fields)
        let threshold = try fields.double("threshold") ?? Verifier.defaultThreshold
        guard threshold > 0 else { throw APIError.badRequest("\"threshold\" must be positive") }
        let verifier = try Verifier(threshold: threshold)
        let first = try ImageInput.read(fields, "img1", roots: roots)
        let second = try ImageInput.read(fields, "img2", roots: roots)
        return try await pool.run { [self] in
            let start = Date()
            // Verify needs a face on both sides whatever enforce_detection says (no whole-image fallback).
            let a = try self.faces(of: first, field: "img1", enforceDetection: true)
            let b = try self.faces(of: second, field: "img2", enforceDetection: true)
            _ = options
            return try verifier.verify(a, b, seconds: Date().timeIntervalSince(start)).deepFace
        }
    }

    static let representFields = FaceRequestOptions.commonFields.union(["img", "max_faces"])

    /// `POST /represent`: `{"results": [{"embedding", "facial_area", "face_confidence"}]}`.
    func represent(_ fields: RequestFields) async throws -> RepresentResponse {
        let options = try FaceRequestOptions(fields)
        let maxFaces = try fields.int("max_faces", default: Int.max, range: 1...Int.max)
        let image = try ImageInput.read(fields, "img", roots: roots)
        return try await pool.run { [self] in
            let faces = try self.faces(of: image, field: "img", enforceDetection: options.enforceDetection)
            let embedder = try self.analyzer().embedder
            return RepresentResponse(
                results: faces.prefix(maxFaces).map {
                    RepresentResponse.Face(embedding: $0.embedding.map(Double.init), facialArea: $0.facialArea,
                                           faceConfidence: $0.faceConfidence)
                },
                modelSHA256: embedder.modelSHA256)
        }
    }
}
