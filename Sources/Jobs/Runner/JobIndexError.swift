import Common

/// Why a job's ANN search cannot use the watchlist's index.
public enum JobIndexError: UserFacingError, Equatable {
    /// The watchlist's index was built with another FAISS factory than the manifest asks for.
    case factoryMismatch(watchlist: String, existing: String, requested: String)

    /// The user-facing text.
    public var description: String {
        switch self {
        case .factoryMismatch(let w, let existing, let requested):
            return "the index of watchlist \"\(w)\" was built with \(existing), but the manifest's search.index_factory is "
                + "\(requested); set \"index_factory\": \"\(existing)\" in the manifest, or rebuild the index with "
                + "`facejob index build --watchlist \(w) --rebuild --factory \(requested)`"
        }
    }

    /// A manifest that does not fit the database: usage.
    public var exitStatus: ExitStatus { .usage }
}
