import ArgumentParser
import Common
import FaceEngine
import Foundation
import Media
import Search
import Store

/// `facejob register`: enroll face photos into a watchlist.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Enroll face photos of an identity into a watchlist.",
        discussion: """
        With --identity, every FILE (or image inside a FOLDER) is enrolled under that identity. \
        Without it, every argument must be a folder holding one subfolder per identity, named \
        after it. The largest face of each image is enrolled (a warning says when there are \
        several; --all-faces takes all). Images already enrolled for the model are skipped, so \
        re-running a registration changes nothing. Each file is reported as inserted, duplicate, \
        no face or unreadable; the exit status is 2 when some files could not be enrolled.
        """)

    @OptionGroup var db: WatchlistDatabaseOptions
    @Option(help: "The watchlist (created when missing).") var watchlist: String
    @Option(help: "The identity's display name.") var identity: String?
    @Option(help: "The identity's external id (case or warrant number).") var externalId: String?
    @Option(name: .customLong("meta"), help: ArgumentHelp("Metadata key=value (repeatable).", valueName: "k=v"))
    var metadata: [String] = []
    @Flag(help: "Enroll every face of an image, not only the largest.") var allFaces = false
    @Option(help: "Images per database transaction.") var batchSize = 64
    @Argument(help: "Image files or folders.") var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one image or folder") }
        for m in metadata where !m.contains("=") { throw ValidationError("--meta takes key=value, got \"\(m)\"") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() async throws {
        try await mapErrors {
            let meta = Dictionary(metadata.map { m -> (String, String) in
                let parts = m.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }, uniquingKeysWith: { $1 })
            let jobs = try RegistrationPlan.expand(paths, identity: identity.map {
                IdentitySpec(name: $0, externalID: externalId, metadata: meta)
            })
            let repository = try db.repository()
            let enroller = try WatchlistEnroller(repository: repository, watchlist: watchlist, allFaces: allFaces)
            var counts: [String: Int] = [:]
            var done = 0
            for start in stride(from: 0, to: jobs.count, by: batchSize) {
                let batch = Array(jobs[start..<min(jobs.count, start + batchSize)])
                for report in try enroller.enroll(batch) {
                    counts[report.status.label, default: 0] += 1
                    print("\(report.status.label)\t\(report.path)\t\(report.detail)")
                }
                done += batch.count
                FileHandle.standardError.write(Data("registered \(done)/\(jobs.count) files\n".utf8))
            }
            let summary = ["inserted", "duplicate", "no face", "unreadable"].map { "\(counts[$0, default: 0]) \($0)" }
            print("watchlist \(watchlist): " + summary.joined(separator: ", "))
            if counts["no face", default: 0] + counts["unreadable", default: 0] > 0 {
                throw RegistrationIncomplete(failed: counts["no face", default: 0] + counts["unreadable", default: 0])
            }
        }
    }
}

/// Some files could not be enrolled (the others were).
struct RegistrationIncomplete: UserFacingError {
    let failed: Int
    var description: String { "\(failed) file(s) could not be enrolled (see the lines marked \"no face\" or \"unreadable\")" }
    var exitStatus: ExitStatus { .partial }
}

/// The files of a registration with the identity each goes to.
enum RegistrationPlan {
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "gif", "ppm", "pgm"]

    /// Files under `identity`, or folders of identity subfolders when `identity` is nil.
    static func expand(_ paths: [String], identity: IdentitySpec?) throws -> [(path: String, identity: IdentitySpec)] {
        let fm = FileManager.default
        var out: [(String, IdentitySpec)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
            if let identity {
                if exists && isDirectory.boolValue {
                    out += try images(in: path).map { ($0, identity) }
                } else {
                    out.append((path, identity))  // a missing file is reported as unreadable
                }
                continue
            }
            guard exists, isDirectory.boolValue else {
                throw WatchlistError.invalid("\(path) is not a folder; without --identity each argument must be a "
                                             + "folder with one subfolder per identity")
            }
            for sub in try fm.contentsOfDirectory(atPath: path).sorted() where !sub.hasPrefix(".") {
                let full = (path as NSString).appendingPathComponent(sub)
                var subIsDirectory: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &subIsDirectory), subIsDirectory.boolValue else { continue }
                out += try images(in: full).map { ($0, IdentitySpec(name: sub)) }
            }
        }
        return out
    }

    private static func images(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            .filter { imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .map { (folder as NSString).appendingPathComponent($0) }
    }
}

/// What happened to one file.
struct FileReport {
    enum Status {
        case inserted, duplicate, noFace, unreadable
        var label: String {
            switch self {
            case .inserted: return "inserted"
            case .duplicate: return "duplicate"
            case .noFace: return "no face"
            case .unreadable: return "unreadable"
            }
        }
    }
    let path: String
    let status: Status
    let detail: String
}

/// Registration with the face engine: hash, skip known images before any detection, decode,
/// detect + embed, choose faces, and store the batch in one transaction. The watchlist is created
/// only when there is a face to store, so a registration of bad files changes nothing.
final class WatchlistEnroller {
    let repository: WatchlistRepository
    let watchlistName: String
    let model: EmbeddingModelRecord
    let analyzer: FaceAnalyzer
    let allFaces: Bool
    private var scope: WatchlistScope?

    init(repository: WatchlistRepository, watchlist: String, allFaces: Bool) throws {
        analyzer = try FaceAnalyzer()
        model = try repository.model(for: EngineModel.key(analyzer))
        self.repository = repository
        watchlistName = watchlist
        self.allFaces = allFaces
        if let existing = try? repository.watchlist(named: watchlist) {
            scope = WatchlistScope(watchlist: existing, model: model)
        }
    }

    func enroll(_ files: [(path: String, identity: IdentitySpec)]) throws -> [FileReport] {
        var reports = [FileReport?](repeating: nil, count: files.count)
        var hashes = [String?](repeating: nil, count: files.count)
        for (i, file) in files.enumerated() {
            do { hashes[i] = try SHA256Hex.file(at: file.path) } catch {
                reports[i] = FileReport(path: file.path, status: .unreadable, detail: "cannot read the file")
            }
        }
        let known = try scope.map { try repository.enrolledIdentities($0, sha256s: hashes.compactMap { $0 }) } ?? [:]
        var toAnalyse: [Int] = []
        for (i, file) in files.enumerated() where reports[i] == nil {
            guard let sha = hashes[i] else { continue }
            if let name = known[sha] {
                reports[i] = FileReport(path: file.path, status: .duplicate, detail: "already enrolled as \(name)")
            } else {
                toAnalyse.append(i)
            }
        }
        // Decoding and the engine take the time: one image per core.
        let analyzer = self.analyzer
        let analysed = CoreThreads.map(toAnalyse.count) { k -> ImageAnalysis in
            let image: RGBImage
            do { image = try ImageDecoder.load(path: files[toAnalyse[k]].path) } catch { return .unreadable("\(error)") }
            // Only the size is kept: a batch of decoded photos would not fit in memory.
            do { return .faces(width: image.width, height: image.height, try analyzer.analyze(image)) } catch { return .failed(error) }
        }
        var images: [(index: Int, image: EnrollmentImage)] = []
        for (i, outcome) in zip(toAnalyse, analysed) {
            let file = files[i]
            guard let sha = hashes[i] else { continue }
            let size: (width: Int, height: Int), faces: [AnalyzedFace]
            switch outcome {
            case .unreadable(let why):
                reports[i] = FileReport(path: file.path, status: .unreadable, detail: why)
                continue
            case .failed(let error): throw error
            case .faces(let width, let height, let found): (size, faces) = ((width, height), found)
            }
            guard !faces.isEmpty else {
                reports[i] = FileReport(path: file.path, status: .noFace, detail: "no face found")
                continue
            }
            let chosen = allFaces ? faces : [faces.max { $0.detection.box.width * $0.detection.box.height
                                                          < $1.detection.box.width * $1.detection.box.height } ?? faces[0]]
            if faces.count > 1 && !allFaces {
                FileHandle.standardError.write(Data("warning: \(file.path) shows \(faces.count) faces; enrolling the largest (--all-faces takes all)\n".utf8))
            }
            images.append((i, EnrollmentImage(path: file.path, sha256: sha, width: size.width, height: size.height,
                                              identity: file.identity, faces: chosen.map(EngineModel.enrollmentFace))))
        }
        guard !images.isEmpty else { return reports.compactMap { $0 } }
        let scope = try self.scope ?? WatchlistScope(
            watchlist: try repository.ensureWatchlist(named: watchlistName, actor: AuditActor.current), model: model)
        self.scope = scope
        let outcomes = try repository.enroll(images.map(\.image), scope: scope, actor: AuditActor.current)
        for (entry, outcome) in zip(images, outcomes) {
            switch outcome {
            case .inserted(let identityID, let faceIDs):
                reports[entry.index] = FileReport(path: entry.image.path, status: .inserted,
                                                  detail: "identity \(identityID) \(entry.image.identity.name), face(s) \(faceIDs.map(String.init).joined(separator: ","))")
            case .duplicate(_, let name):
                reports[entry.index] = FileReport(path: entry.image.path, status: .duplicate, detail: "already enrolled as \(name)")
            }
        }
        return reports.compactMap { $0 }
    }
}

/// One image's decoding and analysis.
private enum ImageAnalysis {
    case unreadable(String)
    case faces(width: Int, height: Int, [AnalyzedFace])
    case failed(Error)
}

/// How the face engine's model and faces map onto the watchlist's records.
enum EngineModel {
    /// The scope key of the engine's embedding model: name plus the weights' SHA-256.
    static func key(_ analyzer: FaceAnalyzer) -> EmbeddingModelKey {
        EmbeddingModelKey(name: ModelCatalog.dlibResNet.model, weightsSHA256: analyzer.embedder.modelSHA256,
                          dimension: 128, metric: Metric.euclidean.rawValue)
    }

    /// The scope of a watchlist under the engine's model.
    static func scope(_ repository: WatchlistRepository, watchlist: String, analyzer: FaceAnalyzer) throws -> WatchlistScope {
        WatchlistScope(watchlist: try repository.watchlist(named: watchlist), model: try repository.model(for: key(analyzer)))
    }

    /// A detected face as an enrollment record.
    static func enrollmentFace(_ face: AnalyzedFace) -> EnrollmentFace {
        let b = face.detection.box
        return EnrollmentFace(box: [b.x, b.y, b.width, b.height],
                              landmarks: face.landmarks.flatMap { [Float($0.x), Float($0.y)] },
                              detectionScore: face.detection.score, embedding: face.embedding)
    }
}
