import ArgumentParser

/// `facejob register`: Enroll face photos of an identity into a watchlist.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Enroll face photos of an identity into a watchlist. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "register") }
    }
}
