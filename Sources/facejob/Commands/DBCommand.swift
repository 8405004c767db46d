import ArgumentParser

/// `facejob db`: Start, stop, inspect or migrate the embedded PostgreSQL database.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, inspect or migrate the embedded PostgreSQL database. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "db") }
    }
}
