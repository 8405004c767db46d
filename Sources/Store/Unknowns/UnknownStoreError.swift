import Common

/// Unknown persons that cannot be read or changed as asked (all usage errors: exit 64).
public enum UnknownStoreError: UserFacingError, Equatable {
    /// No person with this id.
    case noSuchPerson(Int64)
    /// The person was merged into another; name that one.
    case merged(Int64, into: Int64)
    /// A track named is not one of the person's.
    case notItsTrack(person: Int64, track: String)
    /// Persons of different embedding models cannot be merged.
    case differentModels(Int64, Int64)
    /// The request makes no sense as given.
    case invalid(String)

    public var description: String {
        switch self {
        case .noSuchPerson(let id): return "no unknown person U-\(id) (see `facejob unknowns list`)"
        case .merged(let id, let into): return "U-\(id) was merged into U-\(into); use U-\(into)"
        case .notItsTrack(let person, let track): return "track \(track) is not one of U-\(person)'s tracks"
        case .differentModels(let a, let b): return "U-\(a) and U-\(b) were embedded by different models and cannot be merged"
        case .invalid(let message): return message
        }
    }

    public var exitStatus: ExitStatus { .usage }
}
