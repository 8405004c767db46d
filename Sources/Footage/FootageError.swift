import Common

/// Why a question to the stored footage cannot be answered.
public enum FootageError: UserFacingError, Equatable {
    /// The probe photo shows no face.
    case noFace(String)
    /// A reference in the wrong shape.
    case badReference(String, expected: String)
    /// No stored detection with that reference.
    case unknownDetection(String)
    /// No stored sighting with that reference.
    case unknownSighting(String)
    /// The job recorded no embedding model (it never ran an input).
    case noModel(job: Int64)
    /// k or the threshold out of range.
    case invalid(String)

    public var description: String {
        switch self {
        case .noFace(let path): return "no face found in \(path): nothing to look for"
        case .badReference(let given, let expected): return "\"\(given)\" is not a reference of the form \(expected)"
        case .unknownDetection(let r):
            return "no stored detection \(r) (JOB/INPUT/FRAME/INDEX, as hits.csv and `facejob find` print them)"
        case .unknownSighting(let r): return "no sighting \(r) (JOB/SIGHTING, as sightings.csv numbers them)"
        case .noModel(let job): return "job \(job) has no stored faces (it never ran an input)"
        case .invalid(let why): return why
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .noFace: return .failure
        default: return .usage
        }
    }
}
