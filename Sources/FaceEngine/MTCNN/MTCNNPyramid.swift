import Foundation

/// The image pyramid P-Net scans: the scales and the integer size of each resized level.
public enum MTCNNPyramid {
    /// One pyramid level.
    public struct Level: Sendable, Equatable {
        /// Factor from detection-image pixels to level pixels.
        public let scale: Double
        /// Level width in pixels.
        public let width: Int
        /// Level height in pixels.
        public let height: Int
    }

    /// P-Net's input window: a face of this many pixels at a level is what P-Net scores.
    static let cellSize = 12
    /// Smallest level side on which P-Net's output map is not empty.
    static let minLevelSide = 11

    /// The scales exactly as `mtcnn` 1.0.0's `build_scale_pyramid` computes them: the level count
    /// comes from the image's shorter side alone, `round(-(log(minDim / 12) / log(factor) + 1))`
    /// (round half to even), and the scales are `(12 / minFace) * factor^i`.
    public static func packageScales(width: Int, height: Int, minFaceSize: Int, scaleFactor: Double) -> [Double] {
        let minDim = Double(min(width, height))
        let count = (-(log(minDim / Double(cellSize)) / log(scaleFactor) + 1)).rounded(.toNearestOrEven)
        guard count.isFinite, count >= 1 else { return [] }
        let m = Double(cellSize) / Double(minFaceSize)
        return (0..<Int(count)).map { m * pow(scaleFactor, Double($0)) }
    }

    /// The levels facejob scans: the package's scales, each level sized `trunc(side * scale)` as
    /// TensorFlow's `resize` truncates the package's float sizes, keeping only levels on which P-Net
    /// yields at least one output (shorter side 11 or more: its "same" max-pool pads the 11th row).
    /// With min face 20 (or less) that drops nothing; with a larger min face the package's own
    /// smallest levels fall below 9 pixels, where its P-Net fails and it reports no face at all.
    public static func levels(width: Int, height: Int, minFaceSize: Int, scaleFactor: Double) -> [Level] {
        packageScales(width: width, height: height, minFaceSize: minFaceSize, scaleFactor: scaleFactor)
            .compactMap { scale in
                let w = Int(Double(width) * scale)
                let h = Int(Double(height) * scale)
                return min(w, h) >= minLevelSide ? Level(scale: scale, width: w, height: h) : nil
            }
    }
}
