import ArgumentParser
import Common
import FaceEngine
import Foundation
import Media

/// `facejob verify`: Decide whether two images show the same person (1:1).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide whether two images show the same person (1:1).",
        discussion: """
        Embeds every face of both images (MTCNN + dlib ResNet) and compares the closest pair by \
        euclidean distance: verified when the distance is at most the threshold (0.6, dlib's). \
        The JSON has DeepFace's verify shape. An image without a face is an error (exit 1).
        """)

    @Argument(help: "First image.")
    var first: String

    @Argument(help: "Second image.")
    var second: String

    @Flag(help: "Print JSON (DeepFace's verify shape) instead of text.")
    var json = false

    @Option(help: "Largest euclidean distance still called the same person.")
    var threshold = 0.6

    @Option(help: "Smallest face side in pixels the detector looks for.")
    var minFaceSize = 20

    func validate() throws {
        guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be a positive number") }
    }

    func run() async throws {
        try await mapErrors {
            BLASThreads.set(1)
            let start = Date()
            let analyzer = try FaceAnalyzer()
            let options = MTCNNOptions(minFaceSize: minFaceSize)
            let a = try analyzer.analyze(ImageDecoder.load(path: first), options: options)
            guard !a.isEmpty else { throw VerifyError.noFace(first) }
            let b = try analyzer.analyze(ImageDecoder.load(path: second), options: options)
            guard !b.isEmpty else { throw VerifyError.noFace(second) }
            let result = VerifyResult(first: a, second: b, threshold: threshold, seconds: Date().timeIntervalSince(start))
            print(json ? try result.jsonString() : result.text())
        }
    }
}

/// A verification that cannot be decided.
enum VerifyError: UserFacingError {
    case noFace(String)

    var description: String {
        switch self {
        case .noFace(let path): return "\(path): no face found, cannot verify"
        }
    }

    var exitStatus: ExitStatus { .failure }
}
