/// A face box in pixels of the decoded frame, top-left origin.
public struct ReportBox: Sendable, Equatable {
    /// Left edge in pixels.
    public var x: Double
    /// Top edge in pixels.
    public var y: Double
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double

    /// Creates a box.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The box as fractions of the frame size (0…1 when inside the frame); zeros for a 0-size frame.
    public func normalised(frameWidth: Int, frameHeight: Int) -> ReportBox {
        guard frameWidth > 0, frameHeight > 0 else { return ReportBox(x: 0, y: 0, width: 0, height: 0) }
        let w = Double(frameWidth), h = Double(frameHeight)
        return ReportBox(x: x / w, y: y / h, width: width / w, height: height / h)
    }
}
