import Media

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
        let detections = try detector.detect(image, options: options)
        let rects = detections.map { Self.dlibRect(for: $0.box) }
        let described = describe(image, rects: rects)
        return detections.indices.map {
            AnalyzedFace(detection: detections[$0], rect: rects[$0], landmarks: described[$0].landmarks,
                         embedding: described[$0].embedding)
        }
    }

    /// Landmarks and embeddings for faces whose dlib-convention boxes are already known
    /// (e.g. from dlib's own detectors), one batch for the image.
    public func describe(_ image: RGBImage, rects: [FaceRect]) -> [(landmarks: [PixelPoint], embedding: [Float])] {
        let shapes = rects.map { predictor.landmarks(in: image, rect: $0) }
        let chips = shapes.map { FaceChip.extract(from: image, details: ChipDetails.face(landmarks: $0)) }
        let embeddings = embedder.embed(chips)
        return shapes.indices.map { (shapes[$0], embeddings[$0]) }
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
