import Common
import Postgres

/// Bad requests against the watchlist: unknown names, conflicting identities, malformed vectors.
public enum WatchlistError: UserFacingError, Equatable {
    /// No watchlist has this name.
    case unknownWatchlist(String)
    /// The watchlist has no live identity with this name or id.
    case unknownIdentity(watchlist: String, identity: String)
    /// The watchlist has no live face with this id.
    case unknownFace(watchlist: String, faceID: Int64)
    /// The identity exists with another external id.
    case externalIDConflict(identity: String, stored: String, given: String)
    /// The model's name and weights are known with another dimension or metric.
    case modelConflict(name: String, stored: String, given: String)
    /// An embedding's length does not match its model.
    case embeddingDimension(expected: Int, got: Int)
    /// A value the schema cannot hold (empty name, malformed hash, no faces).
    case invalid(String)
    /// The watchlist holds no embeddings of this model.
    case emptyScope(watchlist: String, model: String)
    /// An index segment's bytes no longer match the SHA-256 stored when they were written.
    case corruptSegment(watchlist: String, range: String)

    /// The user-facing text.
    public var description: String {
        switch self {
        case .unknownWatchlist(let name):
            return "no watchlist named \"\(name)\" (see `facejob watchlist list`)"
        case .unknownIdentity(let watchlist, let identity):
            return "watchlist \"\(watchlist)\" has no identity \"\(identity)\" (see `facejob watchlist show \(watchlist)`)"
        case .unknownFace(let watchlist, let faceID):
            return "watchlist \"\(watchlist)\" has no face \(faceID)"
        case .externalIDConflict(let identity, let stored, let given):
            return "identity \"\(identity)\" already has external id \"\(stored)\", not \"\(given)\""
        case .modelConflict(let name, let stored, let given):
            return "model \(name) is recorded as \(stored) but this build describes it as \(given)"
        case .embeddingDimension(let expected, let got):
            return "embedding has \(got) values, the model produces \(expected)"
        case .invalid(let what):
            return what
        case .emptyScope(let watchlist, let model):
            return "watchlist \"\(watchlist)\" holds no faces embedded with \(model)"
        case .corruptSegment(let watchlist, let range):
            return "index segment \(range) of watchlist \"\(watchlist)\" is corrupt: its bytes do not match the SHA-256 "
                + "stored when it was written; rebuild the index with `facejob index build --watchlist \(watchlist) --rebuild`"
        }
    }

    /// Unknown names and bad values are usage errors; nothing was changed.
    public var exitStatus: ExitStatus {
        switch self {
        case .modelConflict, .corruptSegment: return .failure
        default: return .usage
        }
    }
}
