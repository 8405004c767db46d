import Foundation
import JSON
import Store

/// An identity as `GET /watchlists/{w}/identities[/{id}]` shows it; with its faces and the
/// watchlist's name when one identity is asked for. `facejob watchlist show --json` prints the same.
public struct IdentityResponse: Encodable {
    /// One enrolled face.
    public struct Face: Encodable {
        var faceID: Int64
        var embeddingID: Int64?
        var imgName: String
        var hash: String
        var box: [Double]
        var detectionScore: Double
        var model: String

        enum CodingKeys: String, CodingKey {
            case hash, box, model
            case faceID = "face_id", embeddingID = "embedding_id", imgName = "img_name", detectionScore = "detection_score"
        }

        /// A stored face as shown.
        public init(_ f: FaceRecord) {
            faceID = f.id
            embeddingID = f.embeddingID
            imgName = f.sourcePath
            hash = f.imageSHA256
            box = f.box.map(Double.init)
            detectionScore = Double(f.detectionScore)
            model = f.model
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(faceID, forKey: .faceID)
            try c.encode(embeddingID, forKey: .embeddingID)  // null for a face without an embedding
            try c.encode(imgName, forKey: .imgName)
            try c.encode(hash, forKey: .hash)
            try c.encode(box, forKey: .box)
            try c.encode(detectionScore, forKey: .detectionScore)
            try c.encode(model, forKey: .model)
        }
    }

    var id: Int64
    var name: String
    var externalID: String?
    /// The stored metadata object (its text when it does not parse, which the store never writes).
    var metadata: JSONValue
    var faces: Int
    var createdAt: String
    /// The watchlist's name, when one identity is shown.
    public var watchlist: String?
    /// The identity's faces, when one identity is shown.
    public var faceRecords: [Face]?

    enum CodingKeys: String, CodingKey {
        case id, name, metadata, faces, watchlist
        case externalID = "external_id", createdAt = "created_at", faceRecords = "face_records"
    }

    /// An identity as listed, without its faces.
    public init(_ i: IdentitySummary) {
        id = i.id
        name = i.name
        externalID = i.externalID
        metadata = (try? JSONParser.parse(Array(i.metadata.utf8)).root) ?? .string(i.metadata)
        faces = i.faces
        createdAt = ISO8601DateFormatter().string(from: i.createdAt)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(externalID, forKey: .externalID)  // null when there is none
        try c.encode(metadata, forKey: .metadata)
        try c.encode(faces, forKey: .faces)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(watchlist, forKey: .watchlist)
        try c.encodeIfPresent(faceRecords, forKey: .faceRecords)
    }
}

/// `GET /watchlists/{w}/identities`.
struct IdentityListResponse: Encodable {
    var watchlist: String
    var identities: [IdentityResponse]
}

/// `DELETE /watchlists/{w}/identities/{id}`.
struct RemovalResponse: Encodable {
    var watchlist: String
    var identity: String
    var removedFaces: Int
    var tombstones: Int
    var auditID: Int64

    enum CodingKeys: String, CodingKey {
        case watchlist, identity, tombstones
        case removedFaces = "removed_faces", auditID = "audit_id"
    }
}
