import Store

/// A decoded photo to enrol whose bytes came from elsewhere (a request body): how to name it in
/// the audit trail, its hash, size and identity.
public struct EnrollmentPhoto: Sendable, Equatable {
    /// Name recorded as the photo's source.
    public let label: String
    /// SHA-256 of its bytes, lowercase hex (the dedup key).
    public let sha256: String
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Whom it shows.
    public let identity: IdentitySpec

    /// A photo to enrol.
    public init(label: String, sha256: String, width: Int, height: Int, identity: IdentitySpec) {
        self.label = label
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.identity = identity
    }
}
