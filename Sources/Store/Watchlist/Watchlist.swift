import Foundation
import Postgres

/// A named watchlist: the people an investigation looks for.
public struct Watchlist: Sendable, Equatable, Hashable, Codable {
    /// Database id.
    public let id: Int64
    /// Unique name, e.g. `wanted`.
    public let name: String

    /// A watchlist record.
    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
