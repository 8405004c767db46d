import FaceEngine
import Foundation

/// The closest pair of faces between two images and the decision, printed as text or in
/// DeepFace's verify shape (`verified`, `distance`, `threshold`, `model`, `detector_backend`,
/// `similarity_metric`, `facial_areas`, `time`).
struct VerifyResult {
    let faceA: AnalyzedFace
    let faceB: AnalyzedFace
    let distance: Double
    let threshold: Double
    let seconds: Double

    /// Picks the pair with the smallest distance (as DeepFace does with several faces).
    init(first: [AnalyzedFace], second: [AnalyzedFace], threshold: Double, seconds: Double) {
        var best = (first[0], second[0], Double.infinity)
        for a in first {
            for b in second {
                let d = Double(zip(a.embedding, b.embedding).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot())
                if d < best.2 { best = (a, b, d) }
            }
        }
        (faceA, faceB, distance) = best
        self.threshold = threshold
        self.seconds = seconds
    }

    var verified: Bool { distance <= threshold }

    func text() -> String {
        "\(verified ? "same person" : "different people"): distance \(String(format: "%.4f", distance)) "
            + "\(verified ? "<=" : ">") threshold \(threshold) (dlib ResNet, euclidean, MTCNN)"
    }

    private func area(_ f: AnalyzedFace) -> [String: Any] {
        let b = f.detection.box, l = f.detection.landmarks
        return ["x": Int(b.x.rounded()), "y": Int(b.y.rounded()), "w": Int(b.width.rounded()), "h": Int(b.height.rounded()),
                "left_eye": [Int(l.leftEye.x.rounded()), Int(l.leftEye.y.rounded())],
                "right_eye": [Int(l.rightEye.x.rounded()), Int(l.rightEye.y.rounded())]]
    }

    func jsonString() throws -> String {
        let doc: [String: Any] = [
            "verified": verified, "distance": distance, "threshold": threshold, "model": "Dlib",
            "detector_backend": "mtcnn", "similarity_metric": "euclidean",
            "facial_areas": ["img1": area(faceA), "img2": area(faceB)],
            "time": (seconds * 100).rounded() / 100,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]), as: UTF8.self)
    }
}
