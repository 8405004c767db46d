/// An 8-bit RGB image, rows top to bottom, `stride` bytes from one row to the next
/// (at least `width * 3`). Decoded video frames and still images both arrive as this type.
public struct RGBImage: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Bytes from the start of one row to the start of the next.
    public let stride: Int
    /// Pixel bytes, `R G B` per pixel; `stride * height` bytes.
    public var pixels: [UInt8]

    /// Wraps existing pixel bytes; returns nil when the sizes do not add up.
    public init?(width: Int, height: Int, stride: Int? = nil, pixels: [UInt8]) {
        let rowBytes = stride ?? width * 3
        guard width > 0, height > 0, rowBytes >= width * 3, pixels.count >= rowBytes * height else {
            return nil
        }
        self.width = width
        self.height = height
        self.stride = rowBytes
        self.pixels = pixels
    }

    /// A black image of the given size.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        self.stride = width * 3
        self.pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// The pixel at (x, y) as (r, g, b).
    @inlinable
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = y * stride + x * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
