import ArgumentParser
import Common
import Foundation
import Postgres
import Store

/// `facejob db`: Start, stop, inspect or migrate the embedded PostgreSQL database.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, inspect or migrate the embedded PostgreSQL database.",
        discussion: """
        The embedded database is a private PostgreSQL cluster under $FACEJOB_HOME/pg, reachable only \
        through a Unix socket. Commands start it on demand; `db stop` shuts it down. `db status` and \
        `db migrate` also work on a server named by --database or FACEJOB_DATABASE_URL.
        """,
        subcommands: [DBStartCommand.self, DBStopCommand.self, DBStatusCommand.self, DBMigrateCommand.self])
}

/// `facejob db start`: create the embedded cluster if needed, start it, migrate it.
struct DBStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Create (first time) and start the embedded database, and migrate it.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await mapErrors {
            let locator = database.locator
            try requireEmbedded(locator, command: "start")
            let status = try locator.cluster.start()
            let applied = try Migrator().migrate(locator.connect(migrate: false))
            print("embedded database running (pid \(status.pid.map(String.init) ?? "?"))")
            print("url:    \(status.url)")
            if !applied.isEmpty { print("schema: applied migrations \(applied.map(String.init).joined(separator: ", "))") }
        }
    }
}

/// `facejob db stop`: stop the embedded cluster's server.
struct DBStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop the embedded database (running transactions are rolled back).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await mapErrors {
            let locator = database.locator
            try requireEmbedded(locator, command: "stop")
            print(try locator.cluster.stop() ? "embedded database stopped" : "embedded database was not running")
        }
    }
}

/// `facejob db status`: where the database is, whether it runs, and its schema version.
struct DBStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the database in use: URL, data folder, server process, schema version.",
        discussion: "Exit status 0 when the server is running and reachable, 69 when it is not (--json prints the document either way).")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON (docs/database.md).") var json = false

    func run() async throws {
        try await mapErrors {
            let status = try DatabaseStatus.read(database.locator)
            if json {
                try JSONOutput.print(status)
            } else {
                status.printText()
            }
            if !status.reachable { throw ExitCode(ExitStatus.unavailable.rawValue) }
        }
    }
}

/// `facejob db migrate`: apply pending migrations.
struct DBMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending schema migrations (the embedded database is started if needed).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await mapErrors {
            let connection = try database.locator.connect(migrate: false)
            let applied = try Migrator().migrate(connection)
            let names = Dictionary(uniqueKeysWithValues: Migrations.all.map { ($0.version, $0.name) })
            for version in applied { print("applied migration \(version) (\(names[version] ?? "?"))") }
            print("schema: \(try schemaText(connection))")
        }
    }
}

/// `db start`/`db stop` act on the embedded cluster only; an explicit URL is a usage mistake.
private func requireEmbedded(_ locator: DatabaseLocator, command: String) throws {
    guard locator.explicitURL == nil else {
        throw DatabaseUsageError(message: "`facejob db \(command)` manages the embedded database, but "
            + "\(locator.source.rawValue) names another server (\(locator.displayURL)); "
            + "unset it to use the embedded one")
    }
}

/// The schema version line of `db status` / `db migrate`.
func schemaText(_ connection: PostgresConnection) throws -> String { try SchemaStatus.read(connection).text }

/// 150008 → 15.8.
func versionText(_ number: Int) -> String { "\(number / 10000).\(number % 10000)" }

/// A database command used the wrong way.
struct DatabaseUsageError: UserFacingError {
    let message: String
    var description: String { message }
    var exitStatus: ExitStatus { .usage }
}
