import Common
import FaceEngine
import Foundation
import Media
import Store
import Watchlist

/// Whom `find` looks for: a face from a photo, a stored detection, or the best face of a
/// sighting from an earlier report; each becomes an embedding under one model.
public struct FootageProbe: Sendable {
    /// The probe's embedding.
    public var embedding: [Float]
    /// The SHA-256 of the embedding model's weights: only jobs embedded with it are searched.
    public var modelSHA256: String
    /// What it is, for the answer: `photo.jpg face 0`, `detection 3/0/120/1`, `sighting 3/2`.
    public var label: String

    /// A probe.
    public init(embedding: [Float], modelSHA256: String, label: String) {
        self.embedding = embedding
        self.modelSHA256 = modelSHA256
        self.label = label
    }

    /// The faces of a photo: the largest, or every face with `allFaces`. No face is an error.
    public static func photo(at path: String, analyzer: FaceAnalyzer, allFaces: Bool) throws -> [FootageProbe] {
        try faces(try analyzer.analyze(try ImageDecoder.load(path: path)), embedder: analyzer.embedder, allFaces: allFaces,
                  label: path)
    }

    /// Probes from the analysed faces of a photo named `label`: the largest, or every face with
    /// `allFaces`. No face is an error.
    public static func faces(_ faces: [AnalyzedFace], embedder: FaceEmbedder, allFaces: Bool,
                             label: String) throws -> [FootageProbe] {
        guard !faces.isEmpty else { throw FootageError.noFace(label) }
        let sha = EmbeddingModelKey(embedder: embedder).weightsSHA256
        return Enroller.chooseFaces(faces, allFaces: allFaces).map { face in
            let index = faces.firstIndex { $0.detection.box == face.detection.box } ?? 0
            return FootageProbe(embedding: face.embedding, modelSHA256: sha, label: "\(label) face \(index)")
        }
    }

    /// A stored detection named `JOB/INPUT/FRAME/INDEX`.
    public static func detection(_ reference: String, jobs: JobRepository, footage: FootageRepository) throws -> FootageProbe {
        let parts = reference.split(separator: "/").map(String.init)
        guard parts.count == 4, let input = Int(parts[1]), let frame = Int64(parts[2]), let index = Int(parts[3]) else {
            throw FootageError.badReference(reference, expected: "JOB/INPUT/FRAME/INDEX")
        }
        let job = try jobs.job(named: parts[0])
        guard let found = try footage.detection(jobID: job.id, inputOrdinal: input, frameIndex: frame, detectionIndex: index) else {
            throw FootageError.unknownDetection(reference)
        }
        return FootageProbe(embedding: found.detection.embedding, modelSHA256: try Self.embedderSHA256(of: job),
                            label: "detection \(found.reference)")
    }

    /// The best face of sighting `JOB/ID` of a job's report.
    public static func sighting(_ reference: String, jobs: JobRepository, footage: FootageRepository) throws -> FootageProbe {
        let parts = reference.split(separator: "/").map(String.init)
        guard parts.count == 2, let id = Int64(parts[1]) else {
            throw FootageError.badReference(reference, expected: "JOB/SIGHTING")
        }
        let job = try jobs.job(named: parts[0])
        guard let found = try footage.bestDetection(jobID: job.id, sightingID: id) else {
            throw FootageError.unknownSighting(reference)
        }
        return FootageProbe(embedding: found.detection.embedding, modelSHA256: try Self.embedderSHA256(of: job),
                            label: "sighting \(job.id)/\(id) (detection \(found.reference))")
    }

    static func embedderSHA256(of job: JobRecord) throws -> String {
        guard let sha = job.embedderSHA256 else { throw FootageError.noModel(job: job.id) }
        return sha
    }
}
