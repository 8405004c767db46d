import Common

/// Why an MTCNN detection could not run.
public enum MTCNNError: UserFacingError, Equatable {
    /// A detection option is out of range.
    case invalidOption(String)
    /// The model file lacks something the networks need, or holds inconsistent shapes.
    case badModel(String)

    public var description: String {
        switch self {
        case .invalidOption(let why): return "invalid detection option: \(why)"
        case .badModel(let why): return "MTCNN model file is unusable: \(why); run scripts/setup to recreate it"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .invalidOption: return .usage
        case .badModel: return .unavailable
        }
    }
}
