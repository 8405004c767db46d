/// A face box in pixels of the decoded frame or photo, top-left origin: what the tracker links,
/// the database stores and the reports print. (The detector keeps its own single-precision box
/// while it works; its result is converted to this once.)
public struct PixelBox: Sendable, Equatable, Hashable, Codable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double

    /// Creates a box.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Intersection over union with `other`; 0 when either box is empty.
    public func iou(_ other: PixelBox) -> Double {
        let ix = max(0, min(x + width, other.x + other.width) - max(x, other.x))
        let iy = max(0, min(y + height, other.y + other.height) - max(y, other.y))
        let inter = ix * iy
        let union = width * height + other.width * other.height - inter
        return union > 0 ? inter / union : 0
    }

    /// The box as fractions of the frame size (0…1 when inside the frame); zeros for a 0-size frame.
    public func normalised(frameWidth: Int, frameHeight: Int) -> PixelBox {
        guard frameWidth > 0, frameHeight > 0 else { return PixelBox(x: 0, y: 0, width: 0, height: 0) }
        let w = Double(frameWidth), h = Double(frameHeight)
        return PixelBox(x: x / w, y: y / h, width: width / w, height: height / h)
    }

    /// A total order on geometry (left, top, width, height), used wherever ties must break the
    /// same way whatever order the detector listed the faces in.
    public static func precedes(_ a: PixelBox, _ b: PixelBox) -> Bool {
        (a.x, a.y, a.width, a.height) < (b.x, b.y, b.width, b.height)
    }
}
