import ArgumentParser

/// `facejob watchlist`: List, show or remove watchlists, identities and faces.
struct WatchlistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchlist",
        abstract: "List, show or remove watchlists, identities and faces. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "watchlist") }
    }
}
