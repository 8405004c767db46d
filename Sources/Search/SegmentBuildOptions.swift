import Common
/// How segments are built: the FAISS factory, the embeddings' metric and shape, and the sizes that
/// decide the segment layout. The layout is a function of these options and the embedding ids only,
/// which is what makes a resumed build end where an uninterrupted one does.
public struct SegmentBuildOptions: Sendable, Equatable {
    /// FAISS factory string, e.g. `HNSW32,Flat`, `IVF64,Flat`, `Flat`.
    public var factory: String
    /// Metric of the embeddings.
    public var metric: Metric
    /// Vector dimension.
    public var dimension: Int
    /// Embeddings read, indexed and committed together.
    public var batchSize: Int
    /// Most vectors per segment. Bounds one stored blob (HNSW32 over 128-d: ~0.8 KiB per vector)
    /// and the work of extending the open segment, while few segments keep HNSW search cheap.
    public var segmentCapacity: Int
    /// FAISS threads during the build (nil: OpenMP's default). Parallel HNSW inserts are not
    /// guaranteed to be reproducible bit for bit; set 1 when byte-identical segments matter more.
    public var threads: Int?

    /// Options with facejob's defaults for 128-d dlib embeddings.
    public init(factory: String = "HNSW32,Flat", metric: Metric = .euclidean, dimension: Int = 128,
                batchSize: Int = 16_384, segmentCapacity: Int = 262_144, threads: Int? = nil) {
        self.factory = factory
        self.metric = metric
        self.dimension = dimension
        self.batchSize = batchSize
        self.segmentCapacity = segmentCapacity
        self.threads = threads
    }

    /// FAISS metric that realises `metric`.
    var faissMetric: FaissMetric { metric == .euclidean ? .l2 : .innerProduct }

    func validate() throws {
        guard dimension > 0 else { throw SearchError.invalidCount(name: "dimension", value: dimension) }
        guard batchSize > 0 else { throw SearchError.invalidCount(name: "batch size", value: batchSize) }
        guard segmentCapacity >= batchSize else {
            throw SearchError.invalidCount(name: "segment capacity − batch size", value: segmentCapacity - batchSize)
        }
    }
}
