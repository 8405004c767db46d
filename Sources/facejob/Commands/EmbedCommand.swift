import ArgumentParser

/// `facejob embed`: Compute the 128-d embedding of every face in an image.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute the 128-d embedding of every face in an image. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "embed") }
    }
}
