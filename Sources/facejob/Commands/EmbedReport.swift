import FaceEngine
import Foundation

/// What `facejob embed` prints: per face the MTCNN box and score, dlib's landmarks and the
/// descriptor, plus the model's hash so an embedding can be traced to its weights.
struct EmbedReport {
    let file: String
    let faces: [AnalyzedFace]
    let embedder: FaceEmbedder

    func text() -> String {
        guard !faces.isEmpty else { return "\(file): no face found" }
        var lines = ["\(file): \(faces.count) face\(faces.count == 1 ? "" : "s") (model dlib_resnet_v1 \(embedder.modelSHA256.prefix(12)))"]
        for (i, f) in faces.enumerated() {
            let b = f.detection.box
            lines.append(String(format: "face %d: box x=%.0f y=%.0f w=%.0f h=%.0f score %.4f", i + 1,
                                b.x, b.y, b.width, b.height, f.detection.score))
            lines.append("  " + f.embedding.map { String(format: "%.6f", $0) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    func jsonString() throws -> String {
        let list: [[String: Any]] = faces.map { f in
            let b = f.detection.box
            return ["box": ["x": Double(b.x), "y": Double(b.y), "w": Double(b.width), "h": Double(b.height)],
                    "score": Double(f.detection.score),
                    "dlib_rect": [f.rect.left, f.rect.top, f.rect.right, f.rect.bottom],
                    "landmarks5": f.landmarks.map { [$0.x, $0.y] },
                    "embedding": f.embedding.map { Double($0) }]
        }
        let doc: [String: Any] = ["file": file, "model": "dlib_resnet_v1", "model_sha256": embedder.modelSHA256,
                                  "detector_backend": "mtcnn", "faces": list]
        return String(decoding: try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]), as: UTF8.self)
    }
}
