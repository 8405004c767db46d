import Watchlist

/// `POST /register`'s answer. A photo without a face answers only `inserted`, `watchlist` and
/// `faces_detected`; a duplicate names the identity it is enrolled under.
struct RegisterResponse: Encodable {
    var watchlist: String
    var inserted: Int
    var facesDetected: Int
    var identity: String?
    var imageSHA256: String?
    var facialAreas: [FacialArea]?
    var identityID: Int64?
    var faceIDs: [Int64]?
    var duplicate: Bool?

    enum CodingKeys: String, CodingKey {
        case watchlist, inserted, identity, duplicate
        case facesDetected = "faces_detected", imageSHA256 = "image_sha256", facialAreas = "facial_areas"
        case identityID = "identity_id", faceIDs = "face_ids"
    }
}

/// `POST /build/index`'s answer.
struct BuildIndexResponse: Encodable {
    var watchlist: String
    var factory: String
    var added: Int
    var batches: Int
    var segments: Int
    var compactedSegments: Int
    var removedVectors: Int
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case watchlist, factory, added, batches, segments, seconds
        case compactedSegments = "compacted_segments", removedVectors = "removed_vectors"
    }
}

/// `POST /represent`'s answer: DeepFace's `results`, one entry per face.
struct RepresentResponse: Encodable {
    struct Face: Encodable {
        var embedding: [Double]
        var facialArea: FacialArea
        var faceConfidence: Double

        enum CodingKeys: String, CodingKey {
            case embedding
            case facialArea = "facial_area", faceConfidence = "face_confidence"
        }
    }

    var results: [Face]
    var modelSHA256: String
    let model = "Dlib"
    let detectorBackend = "mtcnn"

    enum CodingKeys: String, CodingKey {
        case results, model
        case modelSHA256 = "model_sha256", detectorBackend = "detector_backend"
    }
}
