import Foundation

/// Where a face chip comes from in the source image: dlib's `chip_details` (a rectangle in image
/// pixels, a rotation about its centre, and the chip's size).
public struct ChipDetails: Sendable, Equatable {
    /// Left edge of the (unrotated) source rectangle, image pixels, inclusive.
    public let left: Double
    /// Top edge, inclusive.
    public let top: Double
    /// Right edge, inclusive.
    public let right: Double
    /// Bottom edge, inclusive.
    public let bottom: Double
    /// Rotation of the rectangle about its centre, radians.
    public let angle: Double
    /// Chip rows.
    public let rows: Int
    /// Chip columns.
    public let cols: Int

    var rect: DRect { DRect(left: left, top: top, right: right, bottom: bottom) }

    init(rect: DRect, angle: Double, rows: Int, cols: Int) {
        left = rect.left
        top = rect.top
        right = rect.right
        bottom = rect.bottom
        self.angle = angle
        self.rows = rows
        self.cols = cols
    }

    /// dlib's canonical positions of its 5 landmarks in a unit face square (part order).
    static let template5: [DPoint] = [
        DPoint(x: 0.8595674595992, y: 0.2134981538014), DPoint(x: 0.6460604764104, y: 0.2289674387677),
        DPoint(x: 0.1205750620789, y: 0.2137274526848), DPoint(x: 0.3340850613712, y: 0.2290642403242),
        DPoint(x: 0.4901123135679, y: 0.6277975316475),
    ]

    /// dlib's `get_face_chip_details(shape, size, padding)` for a 5-point shape: the similarity
    /// transform from the padded canonical template to the landmarks, as a rotated rectangle.
    public static func face(landmarks: [PixelPoint], size: Int = 150, padding: Double = 0.25) -> ChipDetails {
        precondition(landmarks.count == 5 && size > 0 && padding >= 0, "5 landmarks and a positive size are required")
        let from = template5.map { p in
            DPoint(x: (padding + p.x) / (2 * padding + 1) * Double(size), y: (padding + p.y) / (2 * padding + 1) * Double(size))
        }
        let to = landmarks.map { DPoint(x: Double($0.x), y: Double($0.y)) }
        let tf = AffineMap.similarity(from: from, to: to)
        let angle = atan2(tf.m10, tf.m00)
        let scale = (tf.m00 * tf.m00 + tf.m10 * tf.m10).squareRoot()
        let center = tf(DPoint(x: Double(size) / 2, y: Double(size) / 2))
        let rect = DRect.centered(at: center, width: Double(size) * scale, height: Double(size) * scale)
        return ChipDetails(rect: rect, angle: angle, rows: size, cols: size)
    }
}
