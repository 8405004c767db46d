import Common
import FaceEngine
import Foundation
import Media
import Store
import Watchlist

/// The face engine `facejob run` uses: MTCNN detection, dlib landmarks, chips and ResNet
/// embeddings, with the weights from the model catalog (`$FACEJOB_MODELS`).
public enum DefaultFaceEngine {
    /// The engine over the catalog's weights; throws `FaceEngineUnavailable` (exit 69) when they
    /// are missing or damaged.
    public static func provider(catalog: ModelCatalog = ModelCatalog()) throws -> FaceEngineProvider {
        do {
            let detector = try catalog.load(ModelCatalog.mtcnn)
            let predictor = try catalog.load(ModelCatalog.dlibShapePredictor5)
            let embedder = try catalog.load(ModelCatalog.dlibResNet)
            let analyzer = FaceAnalyzer(detector: try MTCNNDetector(model: detector),
                                        predictor: try ShapePredictor(model: predictor),
                                        embedder: try FaceEmbedder(model: embedder))
            return DlibFaceEngine(analyzer: analyzer, models: [
                EngineModel(role: "detector", name: detector.model, sha256: detector.sha256),
                EngineModel(role: "landmarks", name: predictor.model, sha256: predictor.sha256),
                EngineModel(role: "embedder", name: embedder.model, sha256: embedder.sha256),
            ])
        } catch let error as UserFacingError {
            // The model errors already say how to recreate the files.
            throw FaceEngineUnavailable(reason: "the face models cannot be loaded from \(catalog.directory): \(error.description)")
        }
    }
}

/// MTCNN + dlib as a `FaceEngineProvider`. The weights are immutable and shared by every worker;
/// each worker gets its own `DlibFrameAnalyzer`.
struct DlibFaceEngine: FaceEngineProvider {
    let analyzer: FaceAnalyzer
    let models: [EngineModel]

    var embeddingModel: EmbeddingModelKey { EmbeddingModelKey(embedder: analyzer.embedder) }

    func makeAnalyzer(detector: DetectorSettings) throws -> FaceAnalyzing {
        var options = MTCNNOptions(minFaceSize: detector.minFace, thresholds: detector.thresholds)
        if let maxSide = detector.maxSide { options.maxSide = maxSide }
        try options.validate()
        return DlibFrameAnalyzer(analyzer: analyzer, options: options)
    }
}

/// One worker's engine. `analyze` runs the frames of a batch concurrently, one core each; the
/// lookahead instead aligns frames one by one and embeds the faces of several frames together.
/// Either way a face gets the same embedding (oneDNN treats every sample of a pass alike), so
/// resumed jobs reproduce it bit for bit.
final class DlibFrameAnalyzer: BatchEmbeddingAnalyzing {
    let analyzer: FaceAnalyzer
    let options: MTCNNOptions

    init(analyzer: FaceAnalyzer, options: MTCNNOptions) {
        self.analyzer = analyzer
        self.options = options
    }

    func analyze(_ images: [RGBImage]) throws -> [[FrameFace]] {
        let results = ResultSlots<[FrameFace]>(count: images.count)
        DispatchQueue.concurrentPerform(iterations: images.count) { i in
            results.set(i, Result(catching: {
                let faces = try align(images[i])
                return zip(faces, try embed(faces.map(\.chip))).map { FrameFace(box: $0.box, score: $0.score, embedding: $1) }
            }))
        }
        return try results.values()
    }

    func align(_ image: RGBImage) throws -> [AlignedFrameFace] {
        try analyzer.align(image, options: options).map { face in
            let b = face.detection.box
            return AlignedFrameFace(box: PixelBox(x: Double(b.x), y: Double(b.y), width: Double(b.width), height: Double(b.height)),
                                    score: Double(face.detection.score), chip: face.chip)
        }
    }

    func align(_ image: RGBImage, regions: [(x: Int, y: Int, width: Int, height: Int)], seeds: [PixelBox]) throws -> [AlignedFrameFace] {
        let boxes = seeds.map { FaceDetection.Box(x: Float($0.x), y: Float($0.y), width: Float($0.width), height: Float($0.height)) }
        return try analyzer.align(image, options: options, regions: regions, seeds: boxes).map { face in
            let b = face.detection.box
            return AlignedFrameFace(box: PixelBox(x: Double(b.x), y: Double(b.y), width: Double(b.width), height: Double(b.height)),
                                    score: Double(face.detection.score), chip: face.chip)
        }
    }

    func embed(_ chips: [RGBImage]) throws -> [[Float]] { analyzer.embedder.embed(chips) }
}

/// Results written by concurrent iterations, one slot each.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<T, Error>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func values() throws -> [T] {
        try slots.map { slot in
            guard let slot else { throw FaceEngineUnavailable(reason: "an engine worker returned no result") }
            return try slot.get()
        }
    }
}

/// The face engine cannot be used (weights missing or damaged).
public struct FaceEngineUnavailable: UserFacingError {
    /// Why.
    public var reason: String
    /// Creates the error.
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
    public var exitStatus: ExitStatus { .unavailable }
}
