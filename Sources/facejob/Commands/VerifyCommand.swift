import ArgumentParser

/// `facejob verify`: Decide whether two images show the same person (1:1).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide whether two images show the same person (1:1). (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "verify") }
    }
}
