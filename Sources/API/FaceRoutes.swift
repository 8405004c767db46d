import FaceEngine
import Foundation
import Search
import Store
import Watchlist

/// The DeepFace-compatible routes: register, build index, search, verify, represent. Each takes
/// its validated request (`Requests/`), calls the watchlist / engine library on the pool, and
/// answers with its response type (`Responses/`).
extension APIService {
    /// `POST /register`: enrolls the largest face (all with `all_faces`) under `identity` (or `img_name`).
    func register(_ request: RegisterRequest) async throws -> RegisterResponse {
        let actor = self.actor
        return try await withRepository { [self] repository in
            let pixels = try request.image.decode()
            let faces = try self.faces(in: pixels, field: "img", enforceDetection: request.options.enforceDetection)
            guard !faces.isEmpty else { return RegisterResponse(watchlist: request.watchlist, inserted: 0, facesDetected: 0) }
            let enroller = try Enroller(repository: repository, watchlist: request.watchlist, analyzer: self.analyzer(),
                                        allFaces: request.allFaces, model: self.model(repository), actor: actor)
            let photo = EnrollmentPhoto(label: request.image.label, sha256: request.image.sha256, width: pixels.width,
                                        height: pixels.height, identity: request.identity)
            let (chosen, outcome) = try enroller.enroll(photo: photo, faces: faces)
            var out = RegisterResponse(watchlist: request.watchlist, inserted: 0, facesDetected: faces.count,
                                       identity: request.identity.name, imageSHA256: request.image.sha256,
                                       facialAreas: chosen.map(\.facialArea))
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

    /// `POST /build/index`: adds the embeddings no sealed segment covers (resumable, see docs/watchlist.md).
    func buildIndex(_ request: BuildIndexRequest) async throws -> BuildIndexResponse {
        try await withRepository { [self] repository in
            let watchlist = try repository.watchlist(named: request.watchlist)
            let scope = WatchlistScope(watchlist: watchlist, model: try self.model(repository))
            let started = Date()
            let outcome = try WatchlistIndexBuilder(repository: repository, scope: scope).build(request.build)
            return BuildIndexResponse(watchlist: request.watchlist, factory: outcome.factory, added: outcome.added,
                                      batches: outcome.batches, segments: outcome.segments,
                                      compactedSegments: outcome.compaction.rebuilt.count,
                                      removedVectors: outcome.compaction.removedVectors,
                                      seconds: (Date().timeIntervalSince(started) * 1000).rounded() / 1000)
        }
    }

    /// `POST /search`: one result list per probe face (DeepFace's `{"results": [[…], …]}`).
    func search(_ request: SearchRequest) async throws -> SearchResponse {
        try await withRepository { [self] repository in
            let watchlist = try repository.watchlist(named: request.watchlist)
            var probes: [AnalyzedFace] = []
            let queries: [QueryFace]
            if let embedding = request.embedding {
                guard embedding.count == FaceEmbedder.dimensions else {
                    throw APIError.badRequest("\"embedding\" must have \(FaceEmbedder.dimensions) values, got \(embedding.count)")
                }
                queries = [QueryFace(embedding: embedding)]
            } else if let image = request.image {
                probes = try self.faces(of: image, field: "img", enforceDetection: request.options.enforceDetection)
                queries = probes.map { QueryFace(embedding: $0.embedding, box: $0.boxValues) }
            } else {
                queries = []
            }
            let scope = WatchlistScope(watchlist: watchlist, model: try self.model(repository))
            let results = try WatchlistSearcher.shared.search(queries, scope: scope, request: request.search, in: repository)
            return SearchResponse(results, watchlist: request.watchlist, method: request.search.method, probes: probes)
        }
    }

    /// `POST /verify`: DeepFace's verify response from `facejob verify`'s decision.
    func verify(_ request: VerifyRequest) async throws -> VerifyResponse {
        try await pool.run { [self] in
            let start = Date()
            // Verify needs a face on both sides whatever enforce_detection says (no whole-image fallback).
            let a = try self.faces(of: request.first, field: "img1", enforceDetection: true)
            let b = try self.faces(of: request.second, field: "img2", enforceDetection: true)
            return try request.verifier.verify(a, b, seconds: Date().timeIntervalSince(start)).deepFace
        }
    }

    /// `POST /represent`: `{"results": [{"embedding", "facial_area", "face_confidence"}]}`.
    func represent(_ request: RepresentRequest) async throws -> RepresentResponse {
        try await pool.run { [self] in
            let faces = try self.faces(of: request.image, field: "img", enforceDetection: request.options.enforceDetection)
            let embedder = try self.analyzer().embedder
            return RepresentResponse(
                results: faces.prefix(request.maxFaces).map {
                    RepresentResponse.Face(embedding: $0.embedding.map(Double.init), facialArea: $0.facialArea,
                                           faceConfidence: $0.faceConfidence)
                },
                modelSHA256: embedder.modelSHA256)
        }
    }
}
