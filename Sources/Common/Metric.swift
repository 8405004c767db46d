/// Distance metrics between face embeddings. dlib's embeddings are compared by euclidean distance
/// (face_recognition's tolerance 0.6); cosine is offered for DeepFace-style requests.
public enum Metric: String, Sendable, CaseIterable, Codable {
    case euclidean
    case cosine

    /// Default decision threshold for the dlib ResNet model under this metric.
    public var defaultThreshold: Float {
        switch self {
        case .euclidean: return 0.6
        case .cosine: return 0.07
        }
    }

    /// Distance between two vectors of equal length.
    public func distance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "embedding lengths differ")
        switch self {
        case .euclidean:
            var sum: Float = 0
            for i in a.indices { let d = a[i] - b[i]; sum += d * d }
            return sum.squareRoot()
        case .cosine:
            var dot: Float = 0, na: Float = 0, nb: Float = 0
            for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
            let denom = (na * nb).squareRoot()
            return denom > 0 ? 1 - dot / denom : 1
        }
    }
}
