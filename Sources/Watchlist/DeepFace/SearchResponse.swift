import FaceEngine
import Foundation
import Search

/// The answer of a watchlist search in DeepFace's `find` shape, as `POST /search` and
/// `facejob search --json` both print it: `results` holds one list of matches per probe face,
/// `faces` the probe faces (when they came from images), plus the method and models used.
public struct SearchResponse: Encodable, Sendable {
    /// One list of matches per probe face, best first.
    public var results: [[SearchMatch]]
    /// The watchlist searched.
    public var watchlist: String
    /// `exact` or `ann`.
    public var searchMethod: String
    /// The probe faces, when they came from images (`faces[i]` is the probe of `results[i]`).
    public var faces: [ProbeFace]?
    /// The embedding model's name and weights hash (the command line names them; the API does not).
    public var modelName: String?
    /// See `modelName`.
    public var modelSHA256: String?

    /// The response for `results`; `probes` are the faces the queries came from (empty for
    /// embeddings sent as such).
    public init(_ results: [QueryResult], watchlist: String, method: SearchMethod, probes: [AnalyzedFace]) {
        self.results = results.map { $0.matches.map(SearchMatch.init) }
        self.watchlist = watchlist
        searchMethod = method.rawValue
        faces = probes.isEmpty ? nil : probes.map(ProbeFace.init)
    }

    enum CodingKeys: String, CodingKey {
        case results, watchlist, faces, model
        case searchMethod = "search_method"
        case detectorBackend = "detector_backend"
        case distanceMetric = "distance_metric"
        case modelName = "model_name"
        case modelSHA256 = "model_sha256"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(results, forKey: .results)
        try c.encode(watchlist, forKey: .watchlist)
        try c.encode(searchMethod, forKey: .searchMethod)
        try c.encode("Dlib", forKey: .model)
        try c.encode("mtcnn", forKey: .detectorBackend)
        try c.encode("euclidean", forKey: .distanceMetric)
        try c.encodeIfPresent(faces, forKey: .faces)
        try c.encodeIfPresent(modelName, forKey: .modelName)
        try c.encodeIfPresent(modelSHA256, forKey: .modelSHA256)
    }
}

/// One probe face of a search: where it is, the detector's confidence and, from the command line,
/// which image it came from.
public struct ProbeFace: Encodable, Sendable {
    /// DeepFace's `facial_area`.
    public var facialArea: FacialArea
    /// The detector's score, 2 decimals.
    public var faceConfidence: Double
    /// The image file (command line only).
    public var image: String?
    /// That file's SHA-256 (command line only).
    public var imageSHA256: String?
    /// The face's index in its image (command line only).
    public var face: Int?

    /// The probe entry of a face.
    public init(_ face: AnalyzedFace) {
        facialArea = face.facialArea
        faceConfidence = face.faceConfidence
    }

    enum CodingKeys: String, CodingKey {
        case image, face
        case facialArea = "facial_area"
        case faceConfidence = "face_confidence"
        case imageSHA256 = "image_sha256"
    }
}

/// One match as DeepFace names its columns (`identity`, `distance`, `threshold`, `hash`,
/// `source_x` …), with facejob's ids, similarity, rank and confidence beside them.
public struct SearchMatch: Encodable, Sendable {
    /// The match.
    public let match: WatchlistMatch

    /// The row of a match.
    public init(_ match: WatchlistMatch) { self.match = match }

    enum CodingKeys: String, CodingKey {
        case identity, distance, threshold, similarity, rank, hash, confidence
        case identityID = "identity_id", externalID = "external_id", faceID = "face_id", embeddingID = "embedding_id"
        case imgName = "img_name", sourceX = "source_x", sourceY = "source_y", sourceW = "source_w", sourceH = "source_h"
    }

    public func encode(to encoder: Encoder) throws {
        let m = match
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(m.identityName, forKey: .identity)
        try c.encode(m.identityID, forKey: .identityID)
        try c.encode(m.externalID, forKey: .externalID)  // null when there is none
        try c.encode(m.faceID, forKey: .faceID)
        try c.encode(m.embeddingID, forKey: .embeddingID)
        try c.encode(Double(m.distance), forKey: .distance)
        try c.encode(Double(m.threshold), forKey: .threshold)
        try c.encode(Double(m.similarity), forKey: .similarity)
        try c.encode(m.rank, forKey: .rank)
        try c.encode(m.imageSHA256, forKey: .hash)
        try c.encode(m.sourcePath, forKey: .imgName)
        try c.encode((Double(max(0, 1 - m.distance / max(m.threshold, .ulpOfOne))) * 10000).rounded() / 100, forKey: .confidence)
        if let b = m.queryBox, b.count == 4 {
            try c.encode(Int(b[0].rounded()), forKey: .sourceX)
            try c.encode(Int(b[1].rounded()), forKey: .sourceY)
            try c.encode(Int(b[2].rounded()), forKey: .sourceW)
            try c.encode(Int(b[3].rounded()), forKey: .sourceH)
        }
    }
}
