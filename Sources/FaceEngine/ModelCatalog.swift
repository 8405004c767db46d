import Common

/// The model files facejob runs, where they live and the SHA-256 each must have. The hashes are
/// those of the deterministic converters' output (`scripts/models/SHA256SUMS`, `models/README.md`).
public struct ModelCatalog: Sendable {
    /// One model file's identity.
    public struct Entry: Sendable, Equatable {
        /// File name inside the models folder.
        public let file: String
        /// Model name in the file header.
        public let model: String
        /// Expected SHA-256 of the whole file; nil while a converter's output is not pinned yet.
        public let sha256: String?
    }

    /// dlib's face recognition ResNet v1 (128-d embeddings).
    public static let dlibResNet = Entry(file: "dlib_resnet_v1.fjm", model: "dlib_resnet_v1",
                                         sha256: "20cbcdd3f54ba5b174df10bf07825eaf8f09b8c798692bf399f9438f088a5f8e")
    /// dlib's 5-point landmark predictor.
    public static let dlibShapePredictor5 = Entry(file: "dlib_shape_predictor_5.fjm", model: "dlib_shape_predictor_5",
                                                  sha256: "95e07dc07615c2306f2fa87d653377d9df843a11d498bfdc4889625b64c5f2bc")
    /// MTCNN P-, R- and O-Net in one file.
    public static let mtcnn = Entry(file: "mtcnn.fjm", model: "mtcnn", sha256: nil)

    /// Folder the files are read from.
    public let directory: String

    /// A catalog over `directory`, by default `$FACEJOB_MODELS` or `$FACEJOB_HOME/models`.
    public init(directory: String? = nil) {
        self.directory = directory ?? FacejobPaths().models
    }

    /// Full path of an entry's file.
    public func path(of entry: Entry) -> String { directory + "/" + entry.file }

    /// Reads and checks one model file (magic, version, model name, hash).
    public func load(_ entry: Entry) throws -> ModelFile {
        try ModelFile(path: path(of: entry), expectedModel: entry.model, expectedSHA256: entry.sha256)
    }

    /// The landmark predictor, ready to run.
    public func shapePredictor() throws -> ShapePredictor { try ShapePredictor(model: load(Self.dlibShapePredictor5)) }

    /// The embedding network, ready to run.
    public func embedder() throws -> FaceEmbedder { try FaceEmbedder(model: load(Self.dlibResNet)) }
}
