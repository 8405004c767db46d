/// An integer pixel rectangle with inclusive edges, dlib's `rectangle` convention: a face box
/// from dlib's detectors, and the box the shape predictor was trained on.
public struct FaceRect: Sendable, Equatable, Codable {
    /// Leftmost column inside the box.
    public var left: Int
    /// Top row inside the box.
    public var top: Int
    /// Rightmost column inside the box.
    public var right: Int
    /// Bottom row inside the box.
    public var bottom: Int

    /// Creates a rectangle from its inclusive edges.
    public init(left: Int, top: Int, right: Int, bottom: Int) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// Columns covered (`right - left + 1`), zero when empty.
    public var width: Int { isEmpty ? 0 : right - left + 1 }
    /// Rows covered, zero when empty.
    public var height: Int { isEmpty ? 0 : bottom - top + 1 }
    /// True when the rectangle covers no pixel.
    public var isEmpty: Bool { top > bottom || left > right }
}

/// An integer pixel position (dlib's `point`).
public struct PixelPoint: Sendable, Equatable, Codable {
    /// Column.
    public var x: Int
    /// Row.
    public var y: Int

    /// Creates a point.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}
