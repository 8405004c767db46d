import Common

/// A verification that cannot be decided.
public enum VerifyError: UserFacingError, Equatable {
    /// The named image shows no face.
    case noFace(String)
    /// The threshold is not a positive number.
    case invalidThreshold(Double)

    public var description: String {
        switch self {
        case .noFace(let image): return "\(image): no face found, cannot verify"
        case .invalidThreshold(let t): return "the threshold must be a positive number, got \(t)"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .noFace: return .failure
        case .invalidThreshold: return .usage
        }
    }
}
