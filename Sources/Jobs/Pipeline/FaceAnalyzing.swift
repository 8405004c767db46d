import Common
import Media
import Store

/// A face found, aligned and embedded in one frame.
public struct FrameFace: Sendable, Equatable {
    /// Box in image pixels.
    public var box: PixelBox
    /// Detector score.
    public var score: Double
    /// The face's embedding (unit length for the dlib ResNet model).
    public var embedding: [Float]

    /// Creates a frame face.
    public init(box: PixelBox, score: Double, embedding: [Float]) {
        self.box = box
        self.score = score
        self.embedding = embedding
    }
}

/// The face engine as the runner uses it: detect → landmarks → chip → embedding for a batch of
/// images. The runner calls one instance from several threads at once (it analyses the frames of
/// an input ahead on every core), so implementations must be safe for concurrent calls.
public protocol FaceAnalyzing: AnyObject {
    /// The faces of each image; the result at index i belongs to `images[i]`.
    func analyze(_ images: [RGBImage]) throws -> [[FrameFace]]
}

/// A face found and aligned in one frame, its embedding still to compute.
public struct AlignedFrameFace: Sendable {
    /// Box in image pixels.
    public var box: PixelBox
    /// Detector score.
    public var score: Double
    /// The aligned chip the embedder reads.
    public var chip: RGBImage

    /// Creates an aligned face.
    public init(box: PixelBox, score: Double, chip: RGBImage) {
        self.box = box
        self.score = score
        self.chip = chip
    }
}

/// An engine whose analysis splits in two: find and align the faces of a frame, then embed the
/// aligned faces of several frames in one forward pass, which costs less per face. A face's
/// embedding must not depend on the faces it is embedded with, so a frame's faces are the same
/// however its frame was batched (`analyze` included).
public protocol BatchEmbeddingAnalyzing: FaceAnalyzing {
    /// The faces of `image`, aligned, in the order `analyze` returns them.
    func align(_ image: RGBImage) throws -> [AlignedFrameFace]
    /// The faces inside `regions` (frame pixels) and around `seeds` (boxes of faces seen in
    /// earlier frames) only, for motion-gated detection.
    func align(_ image: RGBImage, regions: [(x: Int, y: Int, width: Int, height: Int)], seeds: [PixelBox]) throws -> [AlignedFrameFace]
    /// The embeddings of `chips` (from any frames), in order.
    func embed(_ chips: [RGBImage]) throws -> [[Float]]
}

extension BatchEmbeddingAnalyzing {
    /// An engine that cannot restrict its search looks at the whole frame.
    func align(_ image: RGBImage, regions: [(x: Int, y: Int, width: Int, height: Int)], seeds: [PixelBox]) throws -> [AlignedFrameFace] {
        try align(image)
    }
}

/// Where the runner gets its engines and what it records about them.
public protocol FaceEngineProvider: Sendable {
    /// The models (detector, landmarks, embedder) with their weights hashes, for reports.
    var models: [EngineModel] { get }
    /// The embedding model as the watchlist keys it (name, weights hash, dimension, metric).
    var embeddingModel: EmbeddingModelKey { get }
    /// A new engine for one worker; throws a `UserFacingError` (exit 69) when weights are missing.
    func makeAnalyzer(detector: DetectorSettings) throws -> FaceAnalyzing
}

/// One model of the engine, as reports name it.
public struct EngineModel: Sendable, Equatable, Codable {
    /// detector, landmarks or embedder.
    public var role: String
    /// Model name.
    public var name: String
    /// SHA-256 of the weights file.
    public var sha256: String

    /// Creates a model description.
    public init(role: String, name: String, sha256: String) {
        self.role = role
        self.name = name
        self.sha256 = sha256
    }
}
