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

/// What happened to one file of an enrolment.
public struct EnrollmentReport: Sendable, Equatable {
    /// The four ways a file can end.
    public enum Status: Sendable, Equatable {
        case inserted, duplicate, noFace, unreadable

        /// The word `facejob register` prints.
        public var label: String {
            switch self {
            case .inserted: return "inserted"
            case .duplicate: return "duplicate"
            case .noFace: return "no face"
            case .unreadable: return "unreadable"
            }
        }
    }

    /// The file.
    public let path: String
    /// How it ended.
    public let status: Status
    /// Identity and faces, or why not.
    public let detail: String
    /// Something the user should know (a photo with several faces of which one was taken).
    public let warning: String?

    /// A report.
    public init(path: String, status: Status, detail: String, warning: String? = nil) {
        self.path = path
        self.status = status
        self.detail = detail
        self.warning = warning
    }
}
