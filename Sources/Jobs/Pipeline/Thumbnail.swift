import Common
import Foundation
import Media
import Reports

/// Face crops for the report: the box widened by a margin so the analyst sees hair and chin.
enum Thumbnail {
    /// The crop of `box` (frame pixels) widened by `margin` of its size on each side, clamped to the
    /// image; nil for an empty intersection.
    static func crop(_ image: RGBImage, box: PixelBox, margin: Double = 0.25) -> RGBImage? {
        let x0 = max(0, Int((box.x - box.width * margin).rounded(.down)))
        let y0 = max(0, Int((box.y - box.height * margin).rounded(.down)))
        let x1 = min(image.width, Int((box.x + box.width * (1 + margin)).rounded(.up)))
        let y1 = min(image.height, Int((box.y + box.height * (1 + margin)).rounded(.up)))
        return image.cropped(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}

/// The pipeline's thumbnail stage: the crop of a hit face written once per face into the report
/// folder's `thumbs/`, named after input, frame and track.
struct ThumbnailCutter {
    /// The report folder.
    let reportDirectory: URL
    /// False when the manifest turns thumbnails off.
    let enabled: Bool

    /// Writes the face's thumbnail (unless written for this face already, `written`) and returns
    /// its path relative to the report folder; nil when disabled or the frame has no pixels.
    func cut(_ frame: VideoFrame, box: PixelBox, detectionIndex: Int, inputOrdinal: Int, trackID: Int64,
             written: inout [Int: String]) throws -> String? {
        if let done = written[detectionIndex] { return done }
        guard enabled, let image = frame.image, let crop = Thumbnail.crop(image, box: box) else { return nil }
        let relative = ThumbnailPath.forHit(inputIndex: inputOrdinal, frameIndex: frame.index, trackID: trackID)
        let url = reportDirectory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JPEGWriter.write(crop, to: url.path, quality: 85)
        written[detectionIndex] = relative
        return relative
    }
}
