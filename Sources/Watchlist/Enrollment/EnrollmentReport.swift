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
