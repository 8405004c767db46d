import FaceEngine
import Foundation

/// The 1:1 decision of `facejob verify` and `POST /verify`: the closest pair of faces between two
/// images, compared by euclidean distance against a threshold (dlib's 0.6 unless told).
public struct Verifier: Sendable {
    /// dlib's own threshold for its ResNet: the same person at or below it.
    public static let defaultThreshold = 0.6

    /// Largest distance still called the same person.
    public let threshold: Double

    /// A verifier; throws `VerifyError.invalidThreshold` unless the threshold is a positive number.
    public init(threshold: Double = Verifier.defaultThreshold) throws {
        guard threshold > 0, threshold.isFinite else { throw VerifyError.invalidThreshold(threshold) }
        self.threshold = threshold
    }

    /// Decides between the faces of two images; `first` and `second` must each hold a face
    /// (`VerifyError.noFace` names the image that has none).
    public func verify(_ first: [AnalyzedFace], _ second: [AnalyzedFace], names: (String, String) = ("img1", "img2"),
                       seconds: Double) throws -> Verification {
        guard let a0 = first.first else { throw VerifyError.noFace(names.0) }
        guard let b0 = second.first else { throw VerifyError.noFace(names.1) }
        // With several faces, the closest pair decides (as DeepFace does).
        var best = (a0, b0, Double.infinity)
        for a in first {
            for b in second {
                let d = Double(zip(a.embedding, b.embedding).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot())
                if d < best.2 { best = (a, b, d) }
            }
        }
        return Verification(faceA: best.0, faceB: best.1, distance: best.2, threshold: threshold, seconds: seconds)
    }
}

/// One 1:1 decision: the closest pair, its distance and the verdict.
public struct Verification: Sendable {
    /// The face of the first image in the closest pair.
    public let faceA: AnalyzedFace
    /// The face of the second image in the closest pair.
    public let faceB: AnalyzedFace
    /// Their euclidean distance.
    public let distance: Double
    /// The threshold it was compared with.
    public let threshold: Double
    /// Seconds the decision took, images included.
    public let seconds: Double

    /// True when both faces are taken for the same person.
    public var verified: Bool { distance <= threshold }

    /// One line for people.
    public var text: String {
        "\(verified ? "same person" : "different people"): distance \(String(format: "%.4f", distance)) "
            + "\(verified ? "<=" : ">") threshold \(threshold) (dlib ResNet, euclidean, MTCNN)"
    }

    /// `deepFace` as compact JSON text with sorted keys.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(deepFace), as: UTF8.self)
    }

    /// DeepFace's verify response: `verified`, `distance`, `threshold`, `model`,
    /// `detector_backend`, `similarity_metric`, `facial_areas`, `time`.
    public var deepFace: VerifyResponse {
        VerifyResponse(verified: verified, distance: distance, threshold: threshold,
                       facialAreas: ["img1": faceA.facialArea, "img2": faceB.facialArea], time: (seconds * 100).rounded() / 100)
    }
}

/// DeepFace's verify response, as `POST /verify` and `facejob verify --json` print it.
public struct VerifyResponse: Encodable, Sendable {
    /// Same person or not.
    public let verified: Bool
    /// Euclidean distance of the closest pair.
    public let distance: Double
    /// The threshold applied.
    public let threshold: Double
    /// The closest pair's faces, as `img1` and `img2`.
    public let facialAreas: [String: FacialArea]
    /// Seconds, 2 decimals.
    public let time: Double
    /// The recognition model.
    public let model = "Dlib"
    /// The detector.
    public let detectorBackend = "mtcnn"
    /// The distance.
    public let similarityMetric = "euclidean"

    enum CodingKeys: String, CodingKey {
        case verified, distance, threshold, time, model
        case facialAreas = "facial_areas", detectorBackend = "detector_backend", similarityMetric = "similarity_metric"
    }
}
