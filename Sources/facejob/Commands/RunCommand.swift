import ArgumentParser

/// `facejob run`: Run a job manifest: decode, detect, embed, search, report. Resumable.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job manifest: decode, detect, embed, search, report. Resumable. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "run") }
    }
}
