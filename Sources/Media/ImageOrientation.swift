import Common
import Foundation

/// The EXIF orientation of a still image (TIFF tag 0x0112, values 1 to 8): how the stored pixels
/// are turned and mirrored to show the picture upright. A phone held upright stores its landscape
/// sensor image and says `right` (6). Case names are those of Apple's `CGImagePropertyOrientation`.
public enum ImageOrientation: Int, Sendable, CaseIterable {
    /// 1: stored upright.
    case up = 1
    /// 2: mirrored left to right.
    case upMirrored = 2
    /// 3: upside down (turned 180 degrees).
    case down = 3
    /// 4: mirrored top to bottom.
    case downMirrored = 4
    /// 5: mirrored along the main diagonal (transposed).
    case leftMirrored = 5
    /// 6: shown turned 90 degrees clockwise (a phone's portrait photo).
    case right = 6
    /// 7: mirrored along the other diagonal (transversed).
    case rightMirrored = 7
    /// 8: shown turned 90 degrees counter-clockwise.
    case left = 8

    /// The orientation in a decoded frame's metadata, where libavcodec's mjpeg and webp decoders put
    /// the Exif IFD0 `Orientation` entry as text (a number padded with spaces: `"    6"`); nil for
    /// anything but one number from 1 to 8, so a malformed tag leaves the image as stored.
    init?(metadataValue: String) {
        let text = metadataValue.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let value = Int(text) else { return nil }
        self.init(rawValue: value)
    }

    /// Whether the upright picture's width is the stored height (orientations 5 to 8).
    public var swapsAxes: Bool { rawValue >= 5 }

    /// The upright size of a stored `width` x `height` picture.
    public func uprightSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsAxes ? (height, width) : (width, height)
    }

    /// The stored pixels turned and mirrored upright (`up` returns the image unchanged).
    public func upright(_ image: RGBImage) -> RGBImage {
        guard self != .up else { return image }
        // Upright pixel (x, y) comes from stored (u, v) = swapsAxes ? (y, x) : (x, y), mirrored
        // along u and/or v. Along one upright row only u or v moves, so the source offset moves by
        // a fixed step: ±3 bytes along a stored row, or ±stride down a stored column.
        let (mirrorU, mirrorV): (Bool, Bool)
        switch self {
        case .up, .leftMirrored: (mirrorU, mirrorV) = (false, false)
        case .upMirrored, .left: (mirrorU, mirrorV) = (true, false)
        case .down, .rightMirrored: (mirrorU, mirrorV) = (true, true)
        case .downMirrored, .right: (mirrorU, mirrorV) = (false, true)
        }
        let (outWidth, outHeight) = uprightSize(width: image.width, height: image.height)
        let stride = image.stride
        let sourceX = { (u: Int) in (mirrorU ? image.width - 1 - u : u) * 3 }
        let sourceY = { (v: Int) in (mirrorV ? image.height - 1 - v : v) * stride }
        let stepU = mirrorU ? -3 : 3, stepV = mirrorV ? -stride : stride
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    var s = swapsAxes ? sourceX(y) + sourceY(0) : sourceX(0) + sourceY(y)
                    let step = swapsAxes ? stepV : stepU
                    var d = y * outWidth * 3
                    for _ in 0..<outWidth {
                        dst[d] = src[s]
                        dst[d + 1] = src[s + 1]
                        dst[d + 2] = src[s + 2]
                        s += step
                        d += 3
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, stride: outWidth * 3, pixels: out) ?? image
    }
}
