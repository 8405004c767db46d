import ArgumentParser

/// `facejob detect`: Detect faces in an image: boxes, scores, landmarks.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect faces in an image: boxes, scores, landmarks. (not built yet)")

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        try await mapErrors { throw NotBuiltYet(command: "detect") }
    }
}
