/// One detected face: its box in source-image pixels, the detector's confidence and five landmarks.
/// "Left" and "right" are as seen in the image (the left eye is the one with the smaller x), the
/// convention of the `mtcnn` package's `left_eye` / `mouth_left`.
public struct FaceDetection: Sendable, Equatable, Codable {
    /// A point in source-image pixels.
    public struct Point: Sendable, Equatable, Codable {
        /// Column, pixels from the left edge.
        public var x: Float
        /// Row, pixels from the top edge.
        public var y: Float

        /// A point at (x, y).
        public init(x: Float, y: Float) {
            self.x = x
            self.y = y
        }
    }

    /// An axis-aligned box in source-image pixels.
    public struct Box: Sendable, Equatable, Codable {
        /// Left edge.
        public var x: Float
        /// Top edge.
        public var y: Float
        /// Width.
        public var width: Float
        /// Height.
        public var height: Float

        /// A box with its top-left corner at (x, y).
        public init(x: Float, y: Float, width: Float, height: Float) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        /// Right edge (`x + width`).
        public var right: Float { x + width }
        /// Bottom edge (`y + height`).
        public var bottom: Float { y + height }

        /// Intersection over union with another box; 0 when either box is empty.
        public func iou(_ other: Box) -> Float {
            let iw = max(0, min(right, other.right) - max(x, other.x))
            let ih = max(0, min(bottom, other.bottom) - max(y, other.y))
            let inter = iw * ih
            let union = width * height + other.width * other.height - inter
            return union > 0 ? inter / union : 0
        }
    }

    /// The five facial landmarks MTCNN's O-Net predicts.
    public struct Landmarks: Sendable, Equatable, Codable {
        /// Eye centre on the image's left.
        public var leftEye: Point
        /// Eye centre on the image's right.
        public var rightEye: Point
        /// Nose tip.
        public var nose: Point
        /// Mouth corner on the image's left.
        public var mouthLeft: Point
        /// Mouth corner on the image's right.
        public var mouthRight: Point

        /// Five landmarks in the order above.
        public init(leftEye: Point, rightEye: Point, nose: Point, mouthLeft: Point, mouthRight: Point) {
            self.leftEye = leftEye
            self.rightEye = rightEye
            self.nose = nose
            self.mouthLeft = mouthLeft
            self.mouthRight = mouthRight
        }

        /// The points in the order left eye, right eye, nose, mouth left, mouth right.
        public var points: [Point] { [leftEye, rightEye, nose, mouthLeft, mouthRight] }
    }

    /// The face's box.
    public var box: Box
    /// Detector confidence in [0, 1] (O-Net's face probability).
    public var score: Float
    /// The five landmarks.
    public var landmarks: Landmarks

    /// A detection from its parts.
    public init(box: Box, score: Float, landmarks: Landmarks) {
        self.box = box
        self.score = score
        self.landmarks = landmarks
    }
}

extension FaceDetection {
    /// The same detection moved by (dx, dy) pixels: from a crop's coordinates to its frame's.
    public func translated(x dx: Float, y dy: Float) -> FaceDetection {
        func p(_ q: Point) -> Point { Point(x: q.x + dx, y: q.y + dy) }
        let l = landmarks
        return FaceDetection(
            box: Box(x: box.x + dx, y: box.y + dy, width: box.width, height: box.height), score: score,
            landmarks: Landmarks(leftEye: p(l.leftEye), rightEye: p(l.rightEye), nose: p(l.nose),
                                 mouthLeft: p(l.mouthLeft), mouthRight: p(l.mouthRight)))
    }

    /// The detection with every coordinate multiplied by (x, y), e.g. to map it from a resized copy.
    public func scaled(x sx: Float, y sy: Float) -> FaceDetection {
        func p(_ q: Point) -> Point { Point(x: q.x * sx, y: q.y * sy) }
        let l = landmarks
        return FaceDetection(
            box: Box(x: box.x * sx, y: box.y * sy, width: box.width * sx, height: box.height * sy),
            score: score,
            landmarks: Landmarks(leftEye: p(l.leftEye), rightEye: p(l.rightEye), nose: p(l.nose),
                                 mouthLeft: p(l.mouthLeft), mouthRight: p(l.mouthRight)))
    }
}
