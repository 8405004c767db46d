import Foundation
import Postgres

extension JobRepository {
    /// The watchlist state (JSON) the sweep last searched with; nil before its first record.
    public func watchlistState(sweep: String) throws -> String? {
        try connection.execute("SELECT watchlist_state::text FROM sweep_watchlist_states WHERE sweep = $1", [.text(sweep)])
            .rows.first.map { try $0.decode(0, as: String.self) }
    }

    /// Records the watchlist state (JSON) the sweep searched with.
    public func recordWatchlistState(sweep: String, _ state: String) throws {
        try connection.execute("""
            INSERT INTO sweep_watchlist_states (sweep, watchlist_state) VALUES ($1, $2::jsonb)
            ON CONFLICT (sweep) DO UPDATE SET watchlist_state = EXCLUDED.watchlist_state, recorded_at = now()
            """, [.text(sweep), .text(state)])
    }

    /// The finished jobs of a sweep (its jobs carry its name) that finished after `since`, oldest first.
    public func sweepJobs(sweep: String, finishedAfter since: Date) throws -> [JobRecord] {
        try connection.execute("""
            SELECT \(Self.jobColumns) FROM jobs WHERE name = $1 AND status IN ('done', 'partial') AND finished_at > $2
            ORDER BY id
            """, [.text(sweep), .timestamptz(since)]).rows.map(Self.decodeJob)
    }
}
