import ArgumentParser
import Common
import FaceEngine
import Foundation
import Media
import Search
import Store

/// `facejob search`: search the faces of images against a watchlist.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the faces of an image against a watchlist.",
        discussion: """
        Every face of every image is searched (all in one batch); each gets its own list of \
        matches within the threshold, best first. exact compares against every enrolled face; \
        ann uses the FAISS index built by `facejob index build` (faces not indexed yet are \
        compared exactly) and re-ranks with exact distances.
        """)

    @OptionGroup var db: WatchlistDatabaseOptions
    @Option(help: "The watchlist.") var watchlist: String
    @Option(help: "exact or ann.") var method: SearchMethod = .exact
    @Option(name: .short, help: "Matches per face before the threshold.") var k = 5
    @Option(help: "Largest distance that counts as a match (default: 0.6 euclidean for dlib).") var threshold: Float?
    @Option(help: "HNSW efSearch for ann.") var efSearch: Int?
    @Option(help: "IVF nprobe for ann.") var nprobe: Int?
    @Flag(help: "Print JSON.") var json = false
    @Argument(help: "Probe images.") var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image") }
        guard k > 0 else { throw ValidationError("-k must be positive") }
    }

    func run() async throws {
        try await mapErrors {
            let repository = try db.repository()
            let watchlistRecord = try repository.watchlist(named: watchlist)
            let analyzer = try FaceAnalyzer()
            let scope = WatchlistScope(watchlist: watchlistRecord, model: try repository.model(for: EngineModel.key(analyzer)))
            var queries: [QueryFace] = []
            var owners: [(image: String, sha: String, face: Int)] = []
            for path in images {
                let sha = try SHA256Hex.file(at: path)
                let faces = try analyzer.analyze(try ImageDecoder.load(path: path))
                guard !faces.isEmpty else { throw WatchlistError.invalid("no face found in \(path)") }
                for (i, face) in faces.enumerated() {
                    let b = face.detection.box
                    queries.append(QueryFace(embedding: face.embedding, box: [b.x, b.y, b.width, b.height]))
                    owners.append((path, sha, i))
                }
            }
            let request = WatchlistSearchRequest(method: method, k: k, threshold: threshold,
                                                 ann: ANNSearchOptions(efSearch: efSearch, nprobe: nprobe))
            let results = try WatchlistSearchService(repository: repository).search(queries, scope: scope, request: request)
            if json {
                try printJSON(results, owners: owners, scope: scope)
            } else {
                for (result, owner) in zip(results, owners) {
                    let box = result.queryBox?.map { String(Int($0.rounded())) }.joined(separator: ",") ?? "-"
                    print("\(owner.image) face \(owner.face) box \(box): \(result.matches.count) match(es)")
                    for m in result.matches {
                        print(String(format: "  %d\t%@\t%@\tidentity %lld\tface %lld\tdistance %.4f\tsimilarity %.4f\tthreshold %.2f",
                                     m.rank, m.identityName, m.externalID ?? "-", m.identityID, m.faceID,
                                     m.distance, m.similarity, m.threshold))
                    }
                }
            }
        }
    }

    private func printJSON(_ results: [QueryResult], owners: [(image: String, sha: String, face: Int)], scope: WatchlistScope) throws {
        struct Face: Encodable { let image: String; let imageSHA256: String; let face: Int; let box: [Float]?; let matches: [WatchlistMatch] }
        struct Output: Encodable {
            let watchlist: String; let method: String; let model: String; let weightsSHA256: String; let faces: [Face]
        }
        let output = Output(watchlist: scope.watchlist.name, method: method.rawValue, model: scope.model.key.name,
                            weightsSHA256: scope.model.key.weightsSHA256,
                            faces: zip(results, owners).map { Face(image: $1.image, imageSHA256: $1.sha, face: $1.face,
                                                                   box: $0.queryBox, matches: $0.matches) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}

extension SearchMethod: ExpressibleByArgument {}
