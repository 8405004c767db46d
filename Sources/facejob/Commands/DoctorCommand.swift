import ArgumentParser

/// `facejob doctor`: Check libraries, model files and the database; print how to fix what is missing.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libraries, model files and the database; print how to fix what is missing. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "doctor") }
    }
}
