import ArgumentParser

/// `facejob search`: Search the faces of an image against a watchlist.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the faces of an image against a watchlist. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "search") }
    }
}
