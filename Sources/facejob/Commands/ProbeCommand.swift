import ArgumentParser

/// `facejob probe`: Describe a video or image file; with --decode, decode it and time it.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Describe a video or image file; with --decode, decode it and time it. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "probe") }
    }
}
