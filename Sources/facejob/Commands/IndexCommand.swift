import ArgumentParser

/// `facejob index`: Build the approximate nearest-neighbour index of a watchlist (resumable).
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the approximate nearest-neighbour index of a watchlist (resumable). (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "index") }
    }
}
