import FaceEngine

/// DeepFace's `facial_area` and related shapes for an analysed face.
enum FaceJSON {
    static func facialArea(_ f: AnalyzedFace) -> [String: Any] {
        let b = f.detection.box, l = f.detection.landmarks
        return ["x": Int(b.x.rounded()), "y": Int(b.y.rounded()), "w": Int(b.width.rounded()), "h": Int(b.height.rounded()),
                "left_eye": [Int(l.leftEye.x.rounded()), Int(l.leftEye.y.rounded())],
                "right_eye": [Int(l.rightEye.x.rounded()), Int(l.rightEye.y.rounded())]]
    }

    static func box(_ f: AnalyzedFace) -> [Float] {
        let b = f.detection.box
        return [b.x, b.y, b.width, b.height]
    }

    /// Rounded to 2 decimals as DeepFace reports confidences.
    static func confidence(_ f: AnalyzedFace) -> Double { (Double(f.detection.score) * 100).rounded() / 100 }
}
