import Store

/// An image file to enrol and the identity it goes to.
public struct EnrollmentFile: Sendable, Equatable {
    /// The file.
    public let path: String
    /// Whom it shows.
    public let identity: IdentitySpec

    /// A file to enrol.
    public init(path: String, identity: IdentitySpec) {
        self.path = path
        self.identity = identity
    }
}
