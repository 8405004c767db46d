import Postgres

/// One face found in an image to enroll: where it is and its embedding.
public struct EnrollmentFace: Sendable, Equatable {
    /// Box in pixels: x, y, width, height.
    public let box: [Float]
    /// Landmarks in pixels, x0, y0, x1, y1, …
    public let landmarks: [Float]
    /// Detector confidence.
    public let detectionScore: Float
    /// The face's embedding under the scope's model.
    public let embedding: [Float]

    /// A face to enroll.
    public init(box: [Float], landmarks: [Float], detectionScore: Float, embedding: [Float]) {
        self.box = box
        self.landmarks = landmarks
        self.detectionScore = detectionScore
        self.embedding = embedding
    }
}

/// An image to enroll: its hash (the dedup key), where it came from, whom it shows and the faces
/// chosen from it (the largest by default, all with `--all-faces`).
public struct EnrollmentImage: Sendable, Equatable {
    /// Path as given by the user (recorded for the audit trail).
    public let path: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public let sha256: String
    /// Image width in pixels.
    public let width: Int
    /// Image height in pixels.
    public let height: Int
    /// The identity the image is enrolled under.
    public let identity: IdentitySpec
    /// The faces to store; at least one.
    public let faces: [EnrollmentFace]

    /// An image to enroll.
    public init(path: String, sha256: String, width: Int, height: Int, identity: IdentitySpec, faces: [EnrollmentFace]) {
        self.path = path
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.identity = identity
        self.faces = faces
    }
}

/// What happened to one image of a registration batch.
public enum EnrollmentOutcome: Sendable, Equatable {
    /// Stored: the new face ids.
    case inserted(identityID: Int64, faceIDs: [Int64])
    /// The watchlist already holds this image for this model (under the named identity).
    case duplicate(identityID: Int64, identityName: String)
}
