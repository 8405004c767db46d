import Common
import FaceEngine
import Foundation
import Media
import Search
import Store
import Watchlist
import XCTest

/// Real photos, real models, real PostgreSQL: faces/deepface registered as the identities of
/// master.csv's Yes-pair components, then every image searched leave-one-out.
final class WatchlistDeepfaceTests: XCTestCase {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The fields are the JSON document's own keys.
    struct Golden: Decodable {
        struct Image: Decodable { let identity: String; let face: Bool; let rank1: Bool }
        let identities: [String: [String]]
        let images: [String: Image]
        let rank1_found: Int
        let reference: String
    }

    static var dataFolder: String {
        let env = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return (env ?? root.appendingPathComponent("shared/data").path) + "/faces/deepface"
    }

    func testEveryImageFindsItsIdentityWhereTheReferenceDoes() throws {
        let folder = Self.dataFolder
        guard FileManager.default.fileExists(atPath: folder + "/master.csv") else {
            throw XCTSkip("!!! \(folder) is missing: real-photo watchlist test SKIPPED")
        }
        let analyzer: FaceAnalyzer
        do { analyzer = try FaceAnalyzer() } catch {
            throw XCTSkip("!!! face models unavailable (\(error)); run scripts/models/fetch && scripts/models/convert: SKIPPED")
        }
        let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/deepface_rank1.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: goldenURL))
        let db = try WatchlistTestSchema(self)
        let watchlist = try db.repository.ensureWatchlist(named: "deepface", actor: "test")
        let model = try db.repository.model(for: EmbeddingModelKey(
            name: ModelCatalog.dlibResNet.model, weightsSHA256: analyzer.embedder.modelSHA256, dimension: 128, metric: "euclidean"))
        let scope = WatchlistScope(watchlist: watchlist, model: model)

        var images: [EnrollmentImage] = []
        var noFace: [String] = []
        for (identity, files) in golden.identities.sorted(by: { $0.key < $1.key }) {
            for file in files {
                let path = folder + "/" + file
                let faces = try analyzer.analyze(try ImageDecoder.load(path: path))
                guard let largest = faces.max(by: { $0.detection.box.width * $0.detection.box.height
                                                    < $1.detection.box.width * $1.detection.box.height }) else {
                    noFace.append(file)
                    continue
                }
                let b = largest.detection.box
                images.append(EnrollmentImage(
                    path: file, sha256: try SHA256Hex.file(at: path), width: 0, height: 0,
                    identity: IdentitySpec(name: identity),
                    faces: [EnrollmentFace(box: [b.x, b.y, b.width, b.height],
                                           landmarks: largest.landmarks.flatMap { [Float($0.x), Float($0.y)] },
                                           detectionScore: largest.detection.score, embedding: largest.embedding)]))
            }
        }
        let outcomes = try db.repository.enroll(images, scope: scope, actor: "test")
        // Identical files (the same photo under two names) are duplicates by design.
        let inserted = outcomes.filter { if case .inserted = $0 { return true } else { return false } }.count
        XCTAssertEqual(inserted, Set(images.map(\.sha256)).count)
        let again = try db.repository.enroll(images, scope: scope, actor: "test")
        XCTAssertTrue(again.allSatisfy { if case .duplicate = $0 { return true } else { return false } })

        let service = WatchlistSearcher(cache: WatchlistIndexCache())
        _ = try WatchlistIndexBuilder(repository: db.repository, scope: scope).build(IndexBuildRequest(batchSize: 16))
        let queries = images.map { QueryFace(embedding: $0.faces[0].embedding, box: $0.faces[0].box) }
        var found = 0
        var missedWhereReferenceFinds: [String] = []
        let exact = try service.search(queries, scope: scope, request: WatchlistSearchRequest(method: .exact, k: 5), in: db.repository)
        let ann = try service.search(queries, scope: scope, request: WatchlistSearchRequest(method: .ann, k: 5), in: db.repository)
        XCTAssertEqual(ann.map { $0.matches.map(\.embeddingID) }, exact.map { $0.matches.map(\.embeddingID) })
        for (image, result) in zip(images, exact) {
            // Leave-one-out: the image's own face (distance 0) does not count.
            let nearest = result.matches.first { $0.imageSHA256 != image.sha256 }
            let ok = nearest?.identityName == image.identity.name
            if ok { found += 1 }
            if !ok, golden.images[image.path]?.rank1 == true { missedWhereReferenceFinds.append(image.path) }
        }
        let total = golden.images.count
        let message = "facejob leave-one-out rank-1: \(found)/\(total) images (no face: \(noFace.count)); "
            + "reference (\(golden.reference)): \(golden.rank1_found)/\(total); facejob misses where the reference "
            + "finds: \(missedWhereReferenceFinds)"
        print(message)
        FileHandle.standardError.write(Data((message + "\n").utf8))
        XCTAssertGreaterThanOrEqual(found, golden.rank1_found - 2, message)
        XCTAssertLessThanOrEqual(missedWhereReferenceFinds.count, 2, message)
    }
}
