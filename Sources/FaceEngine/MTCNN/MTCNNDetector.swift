import Common
import Foundation

/// The MTCNN face detector (P-Net, R-Net, O-Net) of the PyPI package `mtcnn` 1.0.0, its
/// convolutions run on oneDNN and its dense layers on OpenBLAS, reproducing that package's
/// pipeline step by step (TensorFlow's area-resized pyramid, `crop_and_resize` patches, its box
/// arithmetic and its suppression).
///
/// The weights are immutable and shared, so one value can serve many threads; each `detect` call
/// borrows its own scratch from a pool. Give each worker thread its own call, not its own copy.
public struct MTCNNDetector: Sendable {
    /// The model file name inside the models folder.
    public static let modelFileName = "mtcnn.fjm"
    /// SHA-256 of the converted model file (recorded with detections to identify the weights).
    public let modelSHA256: String
    private let proposalStage: ProposalStage
    private let refineStage: RefineStage
    /// Warm scratch buffers and compiled chains, one per call in flight; scratch grown past 16 M
    /// floats (after a huge image) is freed rather than kept.
    private let scratchPool = ReusePool(make: MTCNNScratch.init, keep: { $0.footprint <= 16 << 20 })

    /// Loads the three networks from a converted model file (`scripts/models/convert`).
    public init(modelPath: String, expectedSHA256: String? = nil) throws {
        try self.init(model: ModelFile(path: modelPath, expectedModel: "mtcnn", expectedSHA256: expectedSHA256))
    }

    /// Builds the networks from an already opened model file.
    public init(model: ModelFile) throws {
        guard model.model == "mtcnn" else {
            throw ModelFileError.wrongModel(model.path, expected: "mtcnn", found: model.model)
        }
        modelSHA256 = model.sha256
        proposalStage = ProposalStage(pnet: try PNet(model))
        refineStage = RefineStage(rnet: try PatchNetwork.rnet(model), onet: try PatchNetwork.onet(model))
    }

    /// The faces in `image`, highest score first, boxes clamped to the image as the package's
    /// `fit_to_image` does (landmarks are not clamped). An image without faces gives `[]`.
    public func detect(_ image: RGBImage, options: MTCNNOptions = MTCNNOptions()) throws -> [FaceDetection] {
        try run(image, options: options) { work, lut, scratch in
            let levels = MTCNNPyramid.levels(width: work.width, height: work.height,
                                             minFaceSize: options.minFaceSize, scaleFactor: options.scaleFactor)
            return try proposalStage.run(work, lut: lut, levels: levels, threshold: options.thresholds[0], scratch: scratch)
        }
    }

    /// The faces R-Net and O-Net find around `boxes` (faces seen in an earlier frame, in `image`'s
    /// pixels), without P-Net: each box is tried at a few scales and offsets, and the networks'
    /// regression moves them onto the face. Motion-gated detection re-finds faces that stand
    /// still this way. Highest score first, as `detect`.
    public func redetect(_ image: RGBImage, around boxes: [FaceDetection.Box],
                         options: MTCNNOptions = MTCNNOptions()) throws -> [FaceDetection] {
        guard !boxes.isEmpty else { return [] }
        return try run(image, options: options) { work, _, _ in
            let fx = Double(work.width) / Double(image.width), fy = Double(work.height) / Double(image.height)
            var seeds: [MTCNNCandidate] = []
            for b in boxes {
                let cx = (Double(b.x) + Double(b.width) / 2) * fx, cy = (Double(b.y) + Double(b.height) / 2) * fy
                let side = max(Double(b.width) * fx, Double(b.height) * fy)
                for scale in [0.9, 1.0, 1.15] {
                    for (dx, dy) in [(0.0, 0.0)] {
                        let s = side * scale, x = cx + dx * side - s / 2, y = cy + dy * side - s / 2
                        seeds.append(MTCNNCandidate(x1: x, y1: y, x2: x + s, y2: y + s, score: 1))
                    }
                }
            }
            return seeds
        }
    }

    /// The shared path: the frame scaled to `maxSide`, candidates from `propose` (in the scaled
    /// frame's pixels), then R-Net, O-Net, and the boxes clamped and scaled back.
    private func run(_ image: RGBImage, options: MTCNNOptions,
                     propose: (RGBImage, UnsafePointer<Float>, MTCNNScratch) throws -> [MTCNNCandidate]) throws -> [FaceDetection] {
        try options.validate()
        // Huge inputs are detected on an area-downscaled copy; coordinates are scaled back.
        var work = image
        var backX = 1.0, backY = 1.0
        let longer = max(image.width, image.height)
        if longer > options.maxSide {
            let f = Double(options.maxSide) / Double(longer)
            let w = max(1, Int((Double(image.width) * f).rounded()))
            let h = max(1, Int((Double(image.height) * f).rounded()))
            work = AreaResizer(sourceWidth: image.width, sourceHeight: image.height, width: w, height: h)
                .resizedImage(image)
            backX = Double(image.width) / Double(w)
            backY = Double(image.height) / Double(h)
        }
        // The package normalises pixels to (v - 127.5) / 128 before resampling; every 8-bit value
        // maps exactly to a float, so a table does the same.
        let lut = (0..<256).map { (Float($0) - 127.5) / 128 }
        let faces: [(MTCNNCandidate, [Double])] = try lut.withUnsafeBufferPointer { table in
            guard let l = table.baseAddress else { return [] }
            return try scratchPool.with { scratch in
                var boxes = try propose(work, l, scratch)
                boxes = boxes.filter(\.isFinite)
                guard !boxes.isEmpty else { return [] }
                boxes = try refineStage.refine(work, lut: l, candidates: boxes, threshold: options.thresholds[1],
                                               scratch: scratch)
                boxes = boxes.filter(\.isFinite)
                guard !boxes.isEmpty else { return [] }
                return try refineStage.output(work, lut: l, candidates: boxes, threshold: options.thresholds[2],
                                              scratch: scratch)
            }
        }
        let maxX = Double(work.width - 1), maxY = Double(work.height - 1)
        return faces.map { c, m in
            let x1 = min(max(c.x1, 0), maxX), x2 = min(max(c.x2, 0), maxX)
            let y1 = min(max(c.y1, 0), maxY), y2 = min(max(c.y2, 0), maxY)
            func point(_ i: Int) -> FaceDetection.Point { FaceDetection.Point(x: Float(m[i]), y: Float(m[5 + i])) }
            let face = FaceDetection(
                box: FaceDetection.Box(x: Float(x1), y: Float(y1), width: Float(x2 - x1), height: Float(y2 - y1)),
                score: Float(c.score),
                landmarks: FaceDetection.Landmarks(leftEye: point(0), rightEye: point(1), nose: point(2),
                                                   mouthLeft: point(3), mouthRight: point(4)))
            return backX == 1 && backY == 1 ? face : face.scaled(x: Float(backX), y: Float(backY))
        }
    }
}
