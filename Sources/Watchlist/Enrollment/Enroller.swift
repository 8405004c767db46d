import Common
import FaceEngine
import Foundation
import Media
import Postgres
import Store

/// Enrolment: photos → faces → an identity in a watchlist, for `facejob register` and
/// `POST /register` alike. Idempotent: an image already enrolled for the model (same SHA-256) is
/// reported as a duplicate before any detection. The largest face of a photo is enrolled, or all
/// of them with `allFaces`. The watchlist is created only when there is a face to store, so an
/// enrolment of bad files changes nothing.
public final class Enroller {
    /// The repository the faces go into.
    public let repository: WatchlistRepository
    /// The watchlist's name.
    public let watchlistName: String
    /// The engine's embedding model as stored.
    public let model: EmbeddingModelRecord
    /// Detection, landmarks and embedding.
    public let analyzer: FaceAnalyzer
    /// Enrol every face of a photo, not only the largest.
    public let allFaces: Bool
    /// Who enrols, for the audit rows.
    public let actor: String
    private var scope: WatchlistScope?

    /// An enroller into `watchlist` (created on the first stored face). `model` defaults to the
    /// record of the analyzer's embedder, created on first use.
    public init(repository: WatchlistRepository, watchlist: String, analyzer: FaceAnalyzer, allFaces: Bool,
                model: EmbeddingModelRecord? = nil, actor: String = AuditActor.current) throws {
        self.repository = repository
        self.analyzer = analyzer
        self.model = try model ?? repository.model(for: EmbeddingModelKey(embedder: analyzer.embedder))
        watchlistName = watchlist
        self.allFaces = allFaces
        self.actor = actor
        if let existing = try? repository.watchlist(named: watchlist) {
            scope = WatchlistScope(watchlist: existing, model: self.model)
        }
    }

    /// The faces of a photo to enrol: all of them, or only the largest.
    public static func chooseFaces(_ faces: [AnalyzedFace], allFaces: Bool) -> [AnalyzedFace] {
        guard !allFaces, let first = faces.first else { return faces }
        return [faces.max { $0.detection.box.width * $0.detection.box.height < $1.detection.box.width * $1.detection.box.height }
                ?? first]
    }

    /// Enrols image files: hash, skip known images, decode and analyse (one image per core), choose
    /// faces, and store the batch in one transaction. One report per file, in order. A file that
    /// cannot be read or shows no face is reported, not thrown; database and engine failures throw.
    public func enroll(_ files: [EnrollmentFile]) throws -> [EnrollmentReport] {
        var reports = [EnrollmentReport?](repeating: nil, count: files.count)
        var hashes = [String?](repeating: nil, count: files.count)
        var warnings = [String?](repeating: nil, count: files.count)
        for (i, file) in files.enumerated() {
            do { hashes[i] = try SHA256Hex.file(at: file.path) } catch {
                reports[i] = EnrollmentReport(path: file.path, status: .unreadable, detail: "cannot read the file")
            }
        }
        let known = try scope.map { try repository.enrolledIdentities($0, sha256s: hashes.compactMap { $0 }) } ?? [:]
        var toAnalyse: [Int] = []
        for (i, file) in files.enumerated() where reports[i] == nil {
            guard let sha = hashes[i] else { continue }
            if let name = known[sha] {
                reports[i] = EnrollmentReport(path: file.path, status: .duplicate, detail: "already enrolled as \(name)")
            } else {
                toAnalyse.append(i)
            }
        }
        // Decoding and the engine take the time: one image per core.
        let analyzer = self.analyzer
        let analysed = CoreThreads.map(toAnalyse.count) { k -> PhotoAnalysis in
            let image: RGBImage
            do { image = try ImageDecoder.load(path: files[toAnalyse[k]].path) } catch { return .unreadable("\(error)") }
            // Only the size is kept: a batch of decoded photos would not fit in memory.
            do { return .faces(width: image.width, height: image.height, try analyzer.analyze(image)) } catch { return .failed(error) }
        }
        var images: [(index: Int, image: EnrollmentImage)] = []
        for (i, outcome) in zip(toAnalyse, analysed) {
            let file = files[i]
            guard let sha = hashes[i] else { continue }
            switch outcome {
            case .unreadable(let why):
                reports[i] = EnrollmentReport(path: file.path, status: .unreadable, detail: why)
            case .failed(let error):
                throw error
            case .faces(let width, let height, let faces):
                guard !faces.isEmpty else {
                    reports[i] = EnrollmentReport(path: file.path, status: .noFace, detail: "no face found")
                    continue
                }
                if faces.count > 1 && !allFaces {
                    warnings[i] = "\(file.path) shows \(faces.count) faces; enrolling the largest (--all-faces takes all)"
                }
                images.append((i, EnrollmentImage(path: file.path, sha256: sha, width: width, height: height, identity: file.identity,
                                                  faces: Self.chooseFaces(faces, allFaces: allFaces).map(Self.record))))
            }
        }
        guard !images.isEmpty else { return reports.compactMap { $0 } }
        let outcomes = try store(images.map(\.image))
        for (entry, outcome) in zip(images, outcomes) {
            let warning = warnings[entry.index]
            switch outcome {
            case .inserted(let identityID, let faceIDs):
                reports[entry.index] = EnrollmentReport(
                    path: entry.image.path, status: .inserted,
                    detail: "identity \(identityID) \(entry.image.identity.name), face(s) \(faceIDs.map(String.init).joined(separator: ","))",
                    warning: warning)
            case .duplicate(_, let name):
                reports[entry.index] = EnrollmentReport(path: entry.image.path, status: .duplicate,
                                                        detail: "already enrolled as \(name)", warning: warning)
            }
        }
        return reports.compactMap { $0 }
    }

    /// Enrols one decoded photo whose faces were already found (the REST API analyses them itself,
    /// honouring `enforce_detection`). Returns the faces chosen and what the store did; nothing is
    /// stored, and no watchlist created, when `faces` is empty.
    public func enroll(photo: EnrollmentPhoto, faces: [AnalyzedFace]) throws -> (chosen: [AnalyzedFace], outcome: EnrollmentOutcome?) {
        guard !faces.isEmpty else { return ([], nil) }
        let chosen = Self.chooseFaces(faces, allFaces: allFaces)
        let image = EnrollmentImage(path: photo.label, sha256: photo.sha256, width: photo.width, height: photo.height,
                                    identity: photo.identity, faces: chosen.map(Self.record))
        return (chosen, try store([image]).first)
    }

    /// Stores images in one transaction, creating the watchlist first when it is new.
    private func store(_ images: [EnrollmentImage]) throws -> [EnrollmentOutcome] {
        let scope = try self.scope ?? WatchlistScope(
            watchlist: try repository.ensureWatchlist(named: watchlistName, actor: actor), model: model)
        self.scope = scope
        return try repository.enroll(images, scope: scope, actor: actor)
    }

    /// A detected face as the watchlist records it.
    static func record(_ face: AnalyzedFace) -> EnrollmentFace {
        EnrollmentFace(box: face.boxValues, landmarks: face.landmarks.flatMap { [Float($0.x), Float($0.y)] },
                       detectionScore: face.detection.score, embedding: face.embedding)
    }
}

/// One image's decoding and analysis.
private enum PhotoAnalysis {
    case unreadable(String)
    case faces(width: Int, height: Int, [AnalyzedFace])
    case failed(Error)
}
