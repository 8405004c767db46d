import Common

/// One face found and described: the detector's output, the box handed to dlib's landmark model,
/// dlib's five landmarks, and the 128-d embedding of the aligned chip.
public struct AnalyzedFace: Sendable {
    /// MTCNN's box, score and landmarks, in source pixels.
    public let detection: FaceDetection
    /// The box in dlib's convention the shape predictor ran on (see `FaceAnalyzer.dlibRect`).
    public let rect: FaceRect
    /// dlib's 5 landmarks, source pixels, dlib's part order.
    public let landmarks: [PixelPoint]
    /// The 128-d descriptor (compare with euclidean distance; same person below about 0.6).
    public let embedding: [Float]
}

/// One face found and aligned, before its embedding: `FaceAnalyzer.align`.
public struct AlignedFace: Sendable {
    /// MTCNN's box, score and landmarks, in source pixels.
    public let detection: FaceDetection
    /// The box in dlib's convention the shape predictor ran on.
    public let rect: FaceRect
    /// dlib's 5 landmarks, source pixels, dlib's part order.
    public let landmarks: [PixelPoint]
    /// The aligned 150x150 chip the embedding network reads.
    public let chip: RGBImage
}

/// The whole per-image chain: MTCNN detection -> dlib-convention box -> 5 landmarks -> aligned
/// 150x150 chip -> ResNet embedding, with the faces of one image embedded as one batch.
/// Immutable; the weights are shared by copies, so each worker thread can use its own copy.
public struct FaceAnalyzer: Sendable {
    /// The detector.
    public let detector: MTCNNDetector
    /// The landmark model.
    public let predictor: ShapePredictor
    /// The embedding network.
    public let embedder: FaceEmbedder

    /// Assembles an analyzer from loaded models.
    ///
    /// Also pins OpenBLAS to one thread per call: how sgemm splits its sums depends on the thread
    /// count, so a face's embedding and box would differ in the last bits between `facejob run`, a
    /// worker and the REST server otherwise — and a resumed job must reproduce its hits exactly.
    /// facejob parallelises across frames and faces with Dispatch workers instead.
    public init(detector: MTCNNDetector, predictor: ShapePredictor, embedder: FaceEmbedder) {
        BLASThreads.set(1)
        self.detector = detector
        self.predictor = predictor
        self.embedder = embedder
    }

    /// Loads all three models from the catalog (checking each file's hash).
    public init(catalog: ModelCatalog = ModelCatalog()) throws {
        try self.init(detector: MTCNNDetector(model: catalog.load(ModelCatalog.mtcnn)),
                      predictor: catalog.shapePredictor(), embedder: catalog.embedder())
    }

    /// Every face in `image`, in the detector's order (highest score first).
    public func analyze(_ image: RGBImage, options: MTCNNOptions = MTCNNOptions()) throws -> [AnalyzedFace] {
        let aligned = try align(image, options: options)
        let embeddings = embedder.embed(aligned.map(\.chip))
        return aligned.indices.map {
            AnalyzedFace(detection: aligned[$0].detection, rect: aligned[$0].rect, landmarks: aligned[$0].landmarks,
                         embedding: embeddings[$0])
        }
    }

    /// Every face in `image` found and aligned, not yet embedded: `embedder.embed` the chips of
    /// several images in one forward pass, which costs less per face than one pass per image
    /// (the weights are read once per pass) and gives each face the same descriptor.
    public func align(_ image: RGBImage, options: MTCNNOptions = MTCNNOptions()) throws -> [AlignedFace] {
        try detector.detect(image, options: options).map { detection in
            let rect = Self.dlibRect(for: detection.box)
            let (landmarks, chip) = alignment(image, rect: rect)
            return AlignedFace(detection: detection, rect: rect, landmarks: landmarks, chip: chip)
        }
    }

    /// The faces inside `regions` (frame pixels) only, found by detecting on each region's crop,
    /// and around `seeds` (boxes of faces seen in earlier frames, `MTCNNDetector.redetect`):
    /// motion-gated detection looks only where the picture changed and where faces just were. Regions should not overlap;
    /// a face found twice where they touch is kept once (the higher score). Landmarks and chips
    /// are taken from the whole frame, so a face near a region's edge aligns as in a full pass.
    /// Highest score first, as `align(_:options:)`.
    public func align(_ image: RGBImage, options: MTCNNOptions = MTCNNOptions(),
                      regions: [(x: Int, y: Int, width: Int, height: Int)],
                      seeds: [FaceDetection.Box] = []) throws -> [AlignedFace] {
        // Faces seen in earlier frames are looked for again by R-Net and O-Net alone.
        var found = try detector.redetect(image, around: seeds, options: options)
        for r in regions {
            guard let crop = image.cropped(x: r.x, y: r.y, width: r.width, height: r.height) else { continue }
            let dx = Float(max(0, r.x)), dy = Float(max(0, r.y))
            for d in try detector.detect(crop, options: options) {
                let moved = d.translated(x: dx, y: dy)
                if let twin = found.firstIndex(where: { Self.pixelBox($0.box).iou(Self.pixelBox(moved.box)) > 0.5 }) {
                    if moved.score > found[twin].score { found[twin] = moved }
                } else {
                    found.append(moved)
                }
            }
        }
        found.sort { $0.score > $1.score }
        return found.map { detection in
            let rect = Self.dlibRect(for: detection.box)
            let (landmarks, chip) = alignment(image, rect: rect)
            return AlignedFace(detection: detection, rect: rect, landmarks: landmarks, chip: chip)
        }
    }

    static func pixelBox(_ b: FaceDetection.Box) -> PixelBox {
        PixelBox(x: Double(b.x), y: Double(b.y), width: Double(b.width), height: Double(b.height))
    }

    /// dlib's five landmarks inside `rect` and the 150x150 chip they align.
    func alignment(_ image: RGBImage, rect: FaceRect) -> (landmarks: [PixelPoint], chip: RGBImage) {
        let landmarks = predictor.landmarks(in: image, rect: rect)
        return (landmarks, FaceChip.extract(from: image, details: ChipDetails.face(landmarks: landmarks)))
    }

    /// Landmarks and embeddings for faces whose dlib-convention boxes are already known
    /// (e.g. from dlib's own detectors), one batch for the image.
    public func describe(_ image: RGBImage, rects: [FaceRect]) -> [(landmarks: [PixelPoint], embedding: [Float])] {
        let aligned = rects.map { alignment(image, rect: $0) }
        let embeddings = embedder.embed(aligned.map(\.chip))
        return aligned.indices.map { (aligned[$0].landmarks, embeddings[$0]) }
    }

    /// Maps an MTCNN box to the box dlib's HOG detector would draw around the same face, the
    /// convention the 5-point model was trained on: a square of side `(1.145 w + 0.806 h) / 2`
    /// centred `0.056 h` below the MTCNN box centre. The constants are the medians over the faces
    /// of the golden photos that both detectors found (`docs/engine.md`, "Detector boxes").
    public static func dlibRect(for box: FaceDetection.Box) -> FaceRect {
        let w = Double(box.width), h = Double(box.height)
        let side = max((1.145 * w + 0.806 * h) / 2, 1)
        let cx = Double(box.x) + w / 2, cy = Double(box.y) + h / 2 + 0.056 * h
        let left = (cx - side / 2).rounded(), top = (cy - side / 2).rounded()
        let s = side.rounded()
        return FaceRect(left: Int(left), top: Int(top), right: Int(left + s) - 1, bottom: Int(top + s) - 1)
    }

    /// The MTCNN box taken literally as a dlib rectangle (for measuring what the mapping buys).
    public static func literalRect(for box: FaceDetection.Box) -> FaceRect {
        let l = Double(box.x).rounded(), t = Double(box.y).rounded()
        return FaceRect(left: Int(l), top: Int(t), right: Int((Double(box.x) + Double(box.width)).rounded()) - 1,
                        bottom: Int((Double(box.y) + Double(box.height)).rounded()) - 1)
    }
}
