import ArgumentParser
import Store

/// `--database` for the job commands.
struct JobDatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: the manifest's database, FACEJOB_DATABASE_URL, else the embedded database).")
    var database: String?

    /// The locator for `--database`, else `fallback` (the manifest's), else the environment or embedded.
    func locator(fallback: String? = nil) -> DatabaseLocator { DatabaseLocator(option: database ?? fallback) }
}
