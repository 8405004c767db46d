import Common

/// A still image decoded upright, with the size and orientation of the picture in the file.
public struct DecodedImage: Sendable {
    /// The pixels, upright; at most `maxSide` on the longer side when the decoder was given one.
    public let image: RGBImage
    /// The upright picture's full width in pixels (before any `maxSide` scaling).
    public let width: Int
    /// The upright picture's full height in pixels.
    public let height: Int
    /// The EXIF orientation the file declared and the decoder applied (`up` when it declared none).
    public let orientation: ImageOrientation
}
