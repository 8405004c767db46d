import ArgumentParser

/// `facejob sweep`: Find new footage under the sweep's roots and run it as a job (for cron).
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Find new footage under the sweep's roots and run it as a job (for cron). (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "sweep") }
    }
}
