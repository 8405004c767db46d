import ArgumentParser

/// `facejob serve`: Serve register / build-index / search / verify / jobs over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve register / build-index / search / verify / jobs over HTTP. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "serve") }
    }
}
