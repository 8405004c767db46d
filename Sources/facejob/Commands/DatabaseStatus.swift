import Foundation
import Postgres
import Store

/// What `facejob db status` reports: which database, the embedded cluster's folder and process,
/// whether the server answers, and its schema; printed as text or as JSON (docs/database.md).
struct DatabaseStatus: Encodable {
    /// Where the choice of database came from.
    let source: DatabaseLocator.Source
    /// The URL, password hidden.
    let url: String
    /// The embedded cluster; nil when an explicit URL names another server.
    var embedded: EmbeddedClusterStatus?
    /// The server's version number (`150008`), nil when it did not answer.
    var serverVersion: Int?
    /// Why the server did not answer.
    var error: String?
    /// The schema, when the server answered.
    var schema: SchemaStatus?

    /// True when a connection was made.
    var reachable: Bool { serverVersion != nil }

    /// Looks: the embedded cluster is never started by this, and a stopped one is not connected to.
    static func read(_ locator: DatabaseLocator) throws -> DatabaseStatus {
        var status = DatabaseStatus(source: locator.source, url: locator.displayURL)
        if locator.explicitURL == nil {
            let cluster = try locator.cluster.status()
            status.embedded = cluster
            guard cluster.running else {
                status.error = "the embedded database is stopped (start it with: facejob db start)"
                return status
            }
        }
        let connection: PostgresConnection
        do {
            connection = try locator.connect(migrate: false, startEmbedded: false)
        } catch let error as PostgresError {
            status.error = error.message
            return status
        }
        status.serverVersion = connection.serverVersion
        status.schema = try SchemaStatus.read(connection)
        return status
    }

    /// The text form, line by line.
    func printText() {
        print("database: \(source.rawValue)")
        print("url:      \(url)")
        if let embedded {
            print("data:     \(embedded.dataDirectory)\(embedded.initialized ? "" : " (not created yet)")")
            print("log:      \(embedded.logFile)")
            guard let pid = embedded.pid else {
                print("server:   stopped (start it with: facejob db start)")
                return
            }
            print("server:   running (pid \(pid))")
        }
        guard let serverVersion else {
            print("server:   unreachable: \(error ?? "")")
            return
        }
        if embedded == nil { print("server:   reachable (PostgreSQL \(versionText(serverVersion)))") }
        if let schema { print("schema:   \(schema.text)") }
    }

    enum CodingKeys: String, CodingKey {
        case source, url, embedded, reachable, error, schema
        case serverVersion = "server_version"
    }

    enum EmbeddedKeys: String, CodingKey {
        case initialized, pid, running
        case dataDirectory = "data_directory", logFile = "log_file"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch source {
        case .option: try c.encode("option", forKey: .source)
        case .environment: try c.encode("environment", forKey: .source)
        case .embedded: try c.encode("embedded", forKey: .source)
        }
        try c.encode(url, forKey: .url)
        if let embedded {
            var e = c.nestedContainer(keyedBy: EmbeddedKeys.self, forKey: .embedded)
            try e.encode(embedded.dataDirectory, forKey: .dataDirectory)
            try e.encode(embedded.logFile, forKey: .logFile)
            try e.encode(embedded.initialized, forKey: .initialized)
            try e.encode(embedded.running, forKey: .running)
            try e.encode(embedded.pid, forKey: .pid)  // null while stopped
        } else {
            try c.encodeNil(forKey: .embedded)  // another server, named by --database or FACEJOB_DATABASE_URL
        }
        try c.encode(reachable, forKey: .reachable)
        try c.encode(error, forKey: .error)
        try c.encode(serverVersion.map(versionText), forKey: .serverVersion)
        try c.encode(schema, forKey: .schema)  // null when the server did not answer
    }
}

/// Where a database's schema stands against the migrations this facejob knows.
struct SchemaStatus: Encodable {
    /// The newest migration applied; nil when the database was never migrated.
    let version: Int?
    /// The newest migration this facejob has.
    let latest: Int

    /// Reads the schema's version.
    static func read(_ connection: PostgresConnection) throws -> SchemaStatus {
        SchemaStatus(version: try Migrator().currentVersion(connection), latest: Migrations.latestVersion)
    }

    /// `current`, `behind` (run `facejob db migrate`), `ahead` (upgrade facejob) or `not_migrated`.
    var state: String {
        guard let version else { return "not_migrated" }
        return version == latest ? "current" : version < latest ? "behind" : "ahead"
    }

    /// The schema line of `db status` and `db migrate`.
    var text: String {
        guard let version else { return "not migrated (run: facejob db migrate)" }
        if version == latest { return "version \(version) (current)" }
        if version < latest { return "version \(version), this facejob needs \(latest) (run: facejob db migrate)" }
        return "version \(version), newer than this facejob (\(latest)): upgrade facejob"
    }

    enum CodingKeys: String, CodingKey { case version, latest, state }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)  // null when never migrated
        try c.encode(latest, forKey: .latest)
        try c.encode(state, forKey: .state)
    }
}
