extension ModelCatalog {
    /// The MTCNN detector, ready to run (weights checked against the pinned hash).
    public func mtcnnDetector() throws -> MTCNNDetector { try MTCNNDetector(model: load(Self.mtcnn)) }
}
