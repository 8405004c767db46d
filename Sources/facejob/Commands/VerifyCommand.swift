import ArgumentParser
import Common
import FaceEngine
import Foundation
import Media
import Watchlist

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
    var threshold = Verifier.defaultThreshold

    @Option(help: "Smallest face side in pixels the detector looks for.")
    var minFaceSize = 20

    func validate() throws {
        guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be a positive number") }
    }

    func run() async throws {
        try await mapErrors {
            BLASThreads.set(1)
            let start = Date()
            let verifier = try Verifier(threshold: threshold)
            let analyzer = try FaceAnalyzer()
            let options = MTCNNOptions(minFaceSize: minFaceSize)
            let a = try analyzer.analyze(ImageDecoder.load(path: first), options: options)
            guard !a.isEmpty else { throw VerifyError.noFace(first) }
            let b = try analyzer.analyze(ImageDecoder.load(path: second), options: options)
            let result = try verifier.verify(a, b, names: (first, second), seconds: Date().timeIntervalSince(start))
            print(json ? try result.jsonString() : result.text)
        }
    }
}
