/// Settings of one MTCNN detection. The defaults are those of the `mtcnn` package's pipeline with
/// the classic MTCNN thresholds.
public struct MTCNNOptions: Sendable, Equatable {
    /// Smallest face side, in pixels of the image the detector sees, that the pyramid looks for.
    public var minFaceSize: Int
    /// Ratio between successive pyramid levels, in (0, 1).
    public var scaleFactor: Double
    /// Face-probability thresholds of P-Net, R-Net and O-Net; a candidate must exceed each.
    public var thresholds: [Double]
    /// Images whose longer side exceeds this are detected on an area-downscaled copy (coordinates are
    /// mapped back to source pixels), which bounds time and memory for huge inputs.
    public var maxSide: Int

    /// The default settings: min face 20, factor 0.709, thresholds 0.6 / 0.7 / 0.7, max side 4096.
    public init(minFaceSize: Int = 20, scaleFactor: Double = 0.709,
                thresholds: [Double] = [0.6, 0.7, 0.7], maxSide: Int = 4096) {
        self.minFaceSize = minFaceSize
        self.scaleFactor = scaleFactor
        self.thresholds = thresholds
        self.maxSide = maxSide
    }

    /// Throws when a setting is outside its meaningful range.
    public func validate() throws {
        guard minFaceSize >= 1 else { throw MTCNNError.invalidOption("min face size must be at least 1, got \(minFaceSize)") }
        guard scaleFactor > 0.05, scaleFactor < 1 else {
            throw MTCNNError.invalidOption("scale factor must be in (0.05, 1), got \(scaleFactor)")
        }
        guard thresholds.count == 3, thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw MTCNNError.invalidOption("thresholds must be three numbers in [0, 1], got \(thresholds)")
        }
        guard maxSide >= 48 else { throw MTCNNError.invalidOption("max side must be at least 48, got \(maxSide)") }
    }

    // Overlap thresholds of the package's non-maximum suppressions (nms_pnet1, nms_pnet2, nms_rnet,
    // nms_onet); not user settings.
    static let nmsPNetPerScale = 0.5
    static let nmsPNetAcrossScales = 0.7
    static let nmsRNet = 0.7
    static let nmsONet = 0.7
}
