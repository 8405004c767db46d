import FaceEngine

/// DeepFace's `facial_area`: the rounded box and both eyes.
public struct FacialArea: Encodable, Sendable, Equatable {
    /// Left, top, width and height, rounded to whole pixels.
    public let x: Int, y: Int, w: Int, h: Int
    /// The eyes, rounded, as `[x, y]`.
    public let leftEye: [Int], rightEye: [Int]

    enum CodingKeys: String, CodingKey {
        case x, y, w, h
        case leftEye = "left_eye"
        case rightEye = "right_eye"
    }
}

extension AnalyzedFace {
    /// The face's box as enrolment and search record it: x, y, width, height in source pixels.
    public var boxValues: [Float] {
        let b = detection.box
        return [b.x, b.y, b.width, b.height]
    }

    /// DeepFace's `facial_area` of the face.
    public var facialArea: FacialArea {
        let b = detection.box, l = detection.landmarks
        return FacialArea(x: Int(b.x.rounded()), y: Int(b.y.rounded()), w: Int(b.width.rounded()), h: Int(b.height.rounded()),
                          leftEye: [Int(l.leftEye.x.rounded()), Int(l.leftEye.y.rounded())],
                          rightEye: [Int(l.rightEye.x.rounded()), Int(l.rightEye.y.rounded())])
    }

    /// The detector's score rounded to 2 decimals, as DeepFace reports `face_confidence`.
    public var faceConfidence: Double { (Double(detection.score) * 100).rounded() / 100 }
}
