import Common
import FaceEngine
import Store

extension EmbeddingModelKey {
    /// The key the engine's embeddings are stored under: the dlib ResNet's name and weights hash,
    /// 128 dimensions, euclidean. The CLI, the REST API and the job runner all key by this, so
    /// faces enrolled by one are searched by the others.
    public init(embedder: FaceEmbedder) {
        self.init(name: ModelCatalog.dlibResNet.model, weightsSHA256: embedder.modelSHA256,
                  dimension: FaceEmbedder.dimensions, metric: Metric.euclidean.rawValue)
    }
}
