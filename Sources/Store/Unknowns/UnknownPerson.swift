/// An unknown person: tracks that clustering (or an analyst) put together, with a stable id.
public struct UnknownPerson: Sendable, Equatable {
    /// The id; the person is called `U-<id>`.
    public var id: Int64
    /// `active`, `merged` (into `mergedInto`) or `promoted` (enrolled as `identityID` in `watchlistName`).
    public var status: String
    /// The person this one was merged into.
    public var mergedInto: Int64?
    /// The watchlist it was promoted into.
    public var watchlistName: String?
    /// The identity it became.
    public var identityID: Int64?
    /// SHA-256 of the embedder's weights: persons of different models never mix.
    public var embedderSHA256: String
    /// Its tracks, in job, input and time order.
    public var tracks: [UnknownTrack]

    /// A person.
    public init(id: Int64, status: String, mergedInto: Int64?, watchlistName: String?, identityID: Int64?,
                embedderSHA256: String, tracks: [UnknownTrack]) {
        self.id = id
        self.status = status
        self.mergedInto = mergedInto
        self.watchlistName = watchlistName
        self.identityID = identityID
        self.embedderSHA256 = embedderSHA256
        self.tracks = tracks
    }

    /// `U-<id>`.
    public var label: String { "U-\(id)" }

    /// The id in `U-17` (or `17`), or nil.
    public static func id(_ label: String) -> Int64? {
        let digits = label.uppercased().hasPrefix("U-") ? String(label.dropFirst(2)) : label
        guard let id = Int64(digits), id > 0 else { return nil }
        return id
    }
}
