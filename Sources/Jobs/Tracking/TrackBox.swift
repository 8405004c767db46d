/// A face box in frame pixels, as the tracker sees it.
public struct TrackBox: Sendable, Equatable, Codable {
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
    public func iou(_ other: TrackBox) -> Double {
        let ix = max(0, min(x + width, other.x + other.width) - max(x, other.x))
        let iy = max(0, min(y + height, other.y + other.height) - max(y, other.y))
        let inter = ix * iy
        let union = width * height + other.width * other.height - inter
        return union > 0 ? inter / union : 0
    }

    /// A total order on geometry (left, top, width, height), used wherever ties must break the
    /// same way whatever order the detector listed the faces in.
    static func precedes(_ a: TrackBox, _ b: TrackBox) -> Bool {
        (a.x, a.y, a.width, a.height) < (b.x, b.y, b.width, b.height)
    }
}
