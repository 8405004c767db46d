import Common
import Foundation
import Postgres

/// Decides which database facejob uses: `--database URL`, else `FACEJOB_DATABASE_URL`, else the
/// embedded cluster (started on demand). Connections it opens are migrated to the newest schema.
public struct DatabaseLocator: Sendable {
    /// Where the choice came from.
    public enum Source: String, Sendable {
        /// The `--database` option.
        case option = "--database"
        /// The `FACEJOB_DATABASE_URL` environment variable.
        case environment = "FACEJOB_DATABASE_URL"
        /// facejob's own cluster under `$FACEJOB_HOME`.
        case embedded = "embedded cluster"
    }

    /// The explicit server URL, nil for the embedded cluster.
    public let explicitURL: String?
    /// Where the choice came from.
    public let source: Source
    /// The embedded cluster (used when `explicitURL` is nil).
    public let cluster: EmbeddedCluster

    /// Resolves the database from an option value, the environment and facejob's home.
    public init(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                paths: FacejobPaths? = nil) {
        cluster = EmbeddedCluster(paths: paths ?? FacejobPaths(environment: environment))
        if let option, !option.isEmpty {
            explicitURL = option
            source = .option
        } else if let env = environment["FACEJOB_DATABASE_URL"], !env.isEmpty {
            explicitURL = env
            source = .environment
        } else {
            explicitURL = nil
            source = .embedded
        }
    }

    /// The URL connections go to, password hidden.
    public var displayURL: String { PostgresConnection.redact(explicitURL ?? cluster.url) }

    /// Opens a connection. The embedded cluster is started when it is not running (unless
    /// `startEmbedded` is false); the schema is migrated unless `migrate` is false.
    public func connect(migrate: Bool = true, startEmbedded: Bool = true) throws -> PostgresConnection {
        let connection: PostgresConnection
        if let explicitURL {
            connection = try PostgresConnection(url: explicitURL)
        } else {
            do {
                connection = try PostgresConnection(url: cluster.url)
            } catch let error as PostgresError where error.isConnectionFailure && startEmbedded {
                try cluster.start()
                connection = try PostgresConnection(url: cluster.url)
            }
        }
        if migrate { try Migrator().migrate(connection) }
        return connection
    }
}
