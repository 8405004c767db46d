import ArgumentParser
import Postgres
import Store

/// `--database URL`, shared by every command that touches PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"),
            help: ArgumentHelp("PostgreSQL URL, e.g. postgresql://user@host/db or postgresql://user@/db?host=/socket/dir "
                               + "(default: $FACEJOB_DATABASE_URL, else the embedded database under $FACEJOB_HOME).",
                               valueName: "url"))
    var url: String?

    /// Which database this invocation uses.
    var locator: DatabaseLocator { DatabaseLocator(option: url) }

    /// A migrated connection; the embedded database is started when needed.
    func connect() throws -> PostgresConnection { try locator.connect() }
}
