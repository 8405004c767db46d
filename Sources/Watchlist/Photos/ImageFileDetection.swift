import Common
import FaceEngine
import Foundation
import Media

/// The faces found in one image file, in the upright picture's full-size pixels (the file's EXIF
/// orientation applied), with what produced them.
public struct ImageFileDetection: Sendable {
    /// The file read.
    public let path: String
    /// The upright picture's width in pixels.
    public let width: Int
    /// The upright picture's height in pixels.
    public let height: Int
    /// Width of the copy the detector ran on (smaller than `width` for images over the max side).
    public let detectedWidth: Int
    /// Height of that copy.
    public let detectedHeight: Int
    /// The faces, highest score first, coordinates in the upright picture's full-size pixels.
    public let faces: [FaceDetection]
    /// Seconds spent decoding the file.
    public let decodeSeconds: Double
    /// Seconds spent detecting (the three networks and everything between them).
    public let detectionSeconds: Double
}

extension MTCNNDetector {
    /// Decodes the image file at most `options.maxSide` pixels on its longer side (so a huge image
    /// never exists at full size in memory) and upright, detects, and maps the coordinates back to
    /// the upright picture's full size. An image without faces gives an empty list; a file that is
    /// not an image throws `MediaError`.
    public func detect(imageAt path: String, options: MTCNNOptions = MTCNNOptions()) throws -> ImageFileDetection {
        try options.validate()
        let decodeStart = Date()
        let decoded = try ImageDecoder.decode(path: path, maxSide: options.maxSide)
        let image = decoded.image, width = decoded.width, height = decoded.height
        let detectStart = Date()
        var faces = try detect(image, options: options)
        let detectEnd = Date()
        if width != image.width || height != image.height {
            let sx = Float(width) / Float(image.width), sy = Float(height) / Float(image.height)
            faces = faces.map { $0.scaled(x: sx, y: sy) }
        }
        return ImageFileDetection(path: path, width: width, height: height, detectedWidth: image.width,
                                  detectedHeight: image.height, faces: faces,
                                  decodeSeconds: detectStart.timeIntervalSince(decodeStart),
                                  detectionSeconds: detectEnd.timeIntervalSince(detectStart))
    }
}
