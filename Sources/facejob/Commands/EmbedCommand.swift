import ArgumentParser
import Common
import FaceEngine
import Foundation
import Media

/// `facejob embed`: Compute the 128-d embedding of every face in an image.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute the 128-d embedding of every face in an image.",
        discussion: """
        Detects faces with MTCNN, places dlib's 5 landmarks, aligns a 150x150 chip and runs dlib's \
        ResNet (face_recognition's model). Prints each face's box, score and 128 floats. An image \
        without faces is a result ("no face"), not an error. With several images, JSON output is \
        one object per line.
        """)

    @Argument(help: "Image files (JPEG, PNG, ...).")
    var images: [String] = []

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Smallest face side in pixels the detector looks for.")
    var minFaceSize = 20

    @Option(help: .hidden) var chips: String?
    @Option(help: .hidden) var workers = 1
    @Option(help: .hidden) var blasThreads = 1
    @Option(help: .hidden) var batch = 8
    @Option(help: .hidden) var seconds = 10.0
    @Flag(help: .hidden) var profile = false

    func run() async throws {
        try await mapErrors {
            BLASThreads.set(blasThreads)
            if let chips {
                try benchmark(chipsFile: chips)
                return
            }
            guard !images.isEmpty else { throw ValidationError("an image is required: facejob embed IMAGE...") }
            let analyzer = try FaceAnalyzer()
            for image in images {
                let pixels = try ImageDecoder.load(path: image)
                let faces = try analyzer.analyze(pixels, options: MTCNNOptions(minFaceSize: minFaceSize))
                let report = EmbedReport(file: image, faces: faces, embedder: analyzer.embedder)
                print(json ? try report.jsonString() : report.text())
            }
        }
    }

    /// Hidden benchmark mode for `scripts/bench engine`: embeds raw 150x150 RGB chips (concatenated)
    /// repeatedly for about `seconds`, then prints one JSON line with the throughput.
    private func benchmark(chipsFile: String) throws {
        let embedder = try ModelCatalog().embedder()
        guard let data = FileManager.default.contents(atPath: chipsFile), !data.isEmpty,
              data.count % (150 * 150 * 3) == 0 else {
            throw ValidationError("\(chipsFile) is not a file of 150x150 RGB chips")
        }
        let bytes = [UInt8](data)
        let chips = (0..<(bytes.count / 67500)).compactMap {
            RGBImage(width: 150, height: 150, pixels: Array(bytes[($0 * 67500)..<(($0 + 1) * 67500)]))
        }
        if profile {
            let p = EmbedderProfile.measure(embedder, chips: Array(chips.prefix(batch)))
            let layers = p.layers.map { ["name": $0.name, "ms": $0.seconds * 1000, "gflops": $0.gflops] as [String: Any] }
            let out: [String: Any] = ["batch": min(batch, chips.count), "total_ms": p.totalSeconds * 1000,
                                      "conv_gflops": p.convolutionGFLOPS, "sgemm_peak_gflops": p.sgemmPeakGFLOPS,
                                      "layers": layers]
            print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        let pool = ParallelEmbedder(embedder: embedder, workers: workers, batchSize: batch)
        var first = pool.embed(chips)  // warm-up, and the values for a checksum
        let start = Date()
        var faces = 0
        repeat {
            first = pool.embed(chips)
            faces += chips.count
        } while Date().timeIntervalSince(start) < seconds
        let elapsed = Date().timeIntervalSince(start)
        let checksum = first.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + Double($1) } }
        let out: [String: Any] = ["faces": faces, "seconds": elapsed, "faces_per_s": Double(faces) / elapsed,
                                  "workers": workers, "blas_threads": blasThreads, "batch": batch, "checksum": checksum]
        print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
    }
}
