import ArgumentParser

/// `facejob worker`: Claim and process job inputs from the shared database (scale-out).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and process job inputs from the shared database (scale-out). (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "worker") }
    }
}
