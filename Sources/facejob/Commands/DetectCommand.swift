import ArgumentParser
import Common
import FaceEngine
import Foundation
import Store
import Watchlist

/// `facejob detect`: Detect faces in an image: boxes, scores, landmarks.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect faces in an image: boxes, scores, landmarks.",
        discussion: """
        Runs the MTCNN detector (P-, R- and O-Net of the PyPI mtcnn 1.0.0 package) on each image \
        (JPEG, PNG including grayscale and RGBA, anything FFmpeg decodes). Boxes and landmarks are \
        in the image's own pixels, upright (a photo's EXIF orientation is applied first). An image \
        without faces is a normal result (exit 0). Images whose longer side exceeds --max-side are \
        detected on a downscaled copy and the coordinates mapped back, so huge inputs run in \
        bounded memory.
        """)

    @Argument(help: "The image file(s).")
    var images: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Smallest face side in pixels (of the detection copy) the pyramid looks for.")
    var minFace = 20

    @Option(help: "Face-probability thresholds of P-Net, R-Net and O-Net, comma separated.")
    var thresholds = "0.6,0.7,0.7"

    @Option(help: "Detect on a downscaled copy when the image's longer side exceeds this.")
    var maxSide = 4096

    func validate() throws {
        _ = try options()
    }

    /// The detector options from the command line.
    func options() throws -> MTCNNOptions {
        let parts = thresholds.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let t = parts as? [Double] else {
            throw ValidationError("--thresholds needs three numbers separated by commas, e.g. 0.6,0.7,0.7")
        }
        let options = MTCNNOptions(minFaceSize: minFace, thresholds: t, maxSide: maxSide)
        do {
            try options.validate()
        } catch let error as MTCNNError {
            throw ValidationError(error.description)
        }
        return options
    }

    func run() async throws {
        try await mapErrors {
            let options = try options()
            let detector = try ModelCatalog().mtcnnDetector()
            // One JSON document per image, one per line with --json when there are several.
            for image in images {
                let result = FaceDetectionRun(result: try detector.detect(imageAt: image, options: options),
                                              options: options, modelSHA256: detector.modelSHA256)
                let out = json ? try result.json(compact: images.count > 1) : result.text()
                FileHandle.standardOutput.write(Data((out + "\n").utf8))
            }
        }
    }
}

/// How `facejob detect` prints one image's detections.
struct FaceDetectionRun {
    let result: ImageFileDetection
    let options: MTCNNOptions
    let modelSHA256: String

    var path: String { result.path }
    var width: Int { result.width }
    var height: Int { result.height }
    var detectedWidth: Int { result.detectedWidth }
    var detectedHeight: Int { result.detectedHeight }
    var faces: [FaceDetection] { result.faces }

    private static func f(_ v: Float) -> String { String(format: "%.1f", v) }

    /// Human-readable lines: a header, then one line per face.
    func text() -> String {
        var lines = [String]()
        let scaled = detectedWidth != width ? " (detected on a \(detectedWidth)x\(detectedHeight) copy)" : ""
        let count = faces.isEmpty ? "no faces found" : faces.count == 1 ? "1 face" : "\(faces.count) faces"
        lines.append("\(path): \(width)x\(height)\(scaled), \(count) "
                     + String(format: "(min face %d, thresholds %@, %.3f s)", options.minFaceSize,
                              options.thresholds.map { String($0) }.joined(separator: ","), result.detectionSeconds))
        for (i, d) in faces.enumerated() {
            let l = d.landmarks
            func p(_ q: FaceDetection.Point) -> String { "\(Self.f(q.x)),\(Self.f(q.y))" }
            lines.append("face \(i + 1): box x=\(Self.f(d.box.x)) y=\(Self.f(d.box.y)) w=\(Self.f(d.box.width)) "
                         + "h=\(Self.f(d.box.height)) score=\(String(format: "%.4f", d.score)) "
                         + "left_eye=\(p(l.leftEye)) right_eye=\(p(l.rightEye)) nose=\(p(l.nose)) "
                         + "mouth_left=\(p(l.mouthLeft)) mouth_right=\(p(l.mouthRight))")
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON document `facejob detect --json` prints.
    func json(compact: Bool) throws -> String {
        struct Face: Encodable {
            let box: [String: Float]
            let score: Float
            let landmarks: [String: [Float]]
        }
        // swift-format-ignore: AlwaysUseLowerCamelCase
        // The fields are the JSON document's own keys.
        struct Document: Encodable {
            let file: String
            let width: Int
            let height: Int
            let detected_width: Int
            let detected_height: Int
            let detector: String
            let model_sha256: String
            let min_face: Int
            let scale_factor: Double
            let thresholds: [Double]
            let decode_seconds: Double
            let detection_seconds: Double
            let faces: [Face]
        }
        let doc = Document(
            file: path, width: width, height: height, detected_width: detectedWidth, detected_height: detectedHeight,
            detector: "mtcnn", model_sha256: modelSHA256, min_face: options.minFaceSize,
            scale_factor: options.scaleFactor, thresholds: options.thresholds,
            decode_seconds: (result.decodeSeconds * 1e4).rounded() / 1e4,
            detection_seconds: (result.detectionSeconds * 1e4).rounded() / 1e4,
            faces: faces.map { d in
                let l = d.landmarks
                return Face(box: ["x": d.box.x, "y": d.box.y, "w": d.box.width, "h": d.box.height], score: d.score,
                            landmarks: ["left_eye": [l.leftEye.x, l.leftEye.y], "right_eye": [l.rightEye.x, l.rightEye.y],
                                        "nose": [l.nose.x, l.nose.y], "mouth_left": [l.mouthLeft.x, l.mouthLeft.y],
                                        "mouth_right": [l.mouthRight.x, l.mouthRight.y]])
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = compact ? [.sortedKeys] : [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(doc), as: UTF8.self)
    }
}
