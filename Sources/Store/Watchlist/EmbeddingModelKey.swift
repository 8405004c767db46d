import Postgres

/// What identifies an embedding model: its name and the SHA-256 of its weights, plus the shape of
/// its vectors. Two keys with the same name but other weights are different models, and their
/// embeddings are never compared.
public struct EmbeddingModelKey: Sendable, Equatable, Hashable, Codable {
    /// Model name, e.g. `dlib_face_recognition_resnet_model_v1`.
    public let name: String
    /// SHA-256 of the weights file, lowercase hex.
    public let weightsSHA256: String
    /// Vector length.
    public let dimension: Int
    /// How its vectors are compared: `euclidean` or `cosine`.
    public let metric: String

    /// A model key.
    public init(name: String, weightsSHA256: String, dimension: Int, metric: String) {
        self.name = name
        self.weightsSHA256 = weightsSHA256
        self.dimension = dimension
        self.metric = metric
    }
}

/// A model as stored: its database id beside its key.
public struct EmbeddingModelRecord: Sendable, Equatable, Hashable {
    /// Database id.
    public let id: Int32
    /// Name, weights hash, dimension, metric.
    public let key: EmbeddingModelKey

    /// A model record.
    public init(id: Int32, key: EmbeddingModelKey) {
        self.id = id
        self.key = key
    }
}
