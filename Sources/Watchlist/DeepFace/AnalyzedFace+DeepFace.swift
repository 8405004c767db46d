import FaceEngine

extension AnalyzedFace {
    /// The face's box as enrolment and search record it: x, y, width, height in source pixels.
    public var boxValues: [Float] {
        let b = detection.box
        return [b.x, b.y, b.width, b.height]
    }

    /// DeepFace's `facial_area`: the rounded box and both eyes.
    public var facialArea: [String: Any] {
        let b = detection.box, l = detection.landmarks
        return ["x": Int(b.x.rounded()), "y": Int(b.y.rounded()), "w": Int(b.width.rounded()), "h": Int(b.height.rounded()),
                "left_eye": [Int(l.leftEye.x.rounded()), Int(l.leftEye.y.rounded())],
                "right_eye": [Int(l.rightEye.x.rounded()), Int(l.rightEye.y.rounded())]]
    }

    /// The detector's score rounded to 2 decimals, as DeepFace reports `face_confidence`.
    public var faceConfidence: Double { (Double(detection.score) * 100).rounded() / 100 }
}
