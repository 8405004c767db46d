import Common

/// Bad input to a search or an index build: wrong shapes, unordered ids, mismatched segments.
public enum SearchError: UserFacingError, Equatable {
    /// A vector buffer's length is not a multiple of the dimension, or dimensions disagree.
    case dimensionMismatch(expected: Int, got: Int)
    /// `k` (or another count) must be positive.
    case invalidCount(name: String, value: Int)
    /// Gallery ids must be strictly ascending (embedding ids are assigned in order).
    case idsNotAscending(previous: Int64, next: Int64)
    /// Ids and vectors disagree in number.
    case idCountMismatch(ids: Int, vectors: Int)
    /// An index segment was built for another metric or dimension than the search asks for.
    case segmentMismatch(String)
    /// A segment's bytes could not be read although this build wrote its kind and version.
    case unreadableSegment(range: ClosedRange<Int64>, kind: String, reason: String)

    /// The user-facing text.
    public var description: String {
        switch self {
        case .dimensionMismatch(let expected, let got):
            return "embedding dimension mismatch: expected \(expected), got \(got)"
        case .invalidCount(let name, let value):
            return "\(name) must be positive, got \(value)"
        case .idsNotAscending(let previous, let next):
            return "embedding ids must be strictly ascending: \(next) follows \(previous)"
        case .idCountMismatch(let ids, let vectors):
            return "\(ids) ids for \(vectors) vectors"
        case .segmentMismatch(let what):
            return "index segment does not match: \(what)"
        case .unreadableSegment(let range, let kind, let reason):
            return "index segment \(range.lowerBound)...\(range.upperBound) (\(kind)) cannot be read: \(reason); "
                + "rebuild the index with `facejob index build --rebuild`"
        }
    }

    /// Shapes come from the caller, so these are usage errors; unreadable stored bytes are a failure.
    public var exitStatus: ExitStatus {
        if case .unreadableSegment = self { return .failure }
        return .usage
    }
}
