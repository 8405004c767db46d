import ArgumentParser
import Common
import FaceEngine
import Foundation
import Media
import Search
import Store
import Watchlist

/// `facejob search`: search the faces of images against a watchlist.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the faces of an image against a watchlist.",
        discussion: """
        Every face of every image is searched (all in one batch); each gets its own list of \
        matches within the threshold, best first. exact compares against every enrolled face; \
        ann uses the FAISS index built by `facejob index build` (faces not indexed yet are \
        compared exactly) and re-ranks with exact distances. --json prints the shape of the REST \
        API's POST /search (DeepFace's `results`, one list per face, and `faces`), each face also \
        naming its image, the image's SHA-256 and its index in the image.
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
            let scope = WatchlistScope(watchlist: watchlistRecord,
                                       model: try repository.model(for: EmbeddingModelKey(embedder: analyzer.embedder)))
            var queries: [QueryFace] = []
            var probes: [AnalyzedFace] = []
            var owners: [(image: String, sha: String, face: Int)] = []
            for path in images {
                let sha = try SHA256Hex.file(at: path)
                let faces = try analyzer.analyze(try ImageDecoder.load(path: path))
                guard !faces.isEmpty else { throw WatchlistError.invalid("no face found in \(path)") }
                for (i, face) in faces.enumerated() {
                    queries.append(QueryFace(embedding: face.embedding, box: face.boxValues))
                    probes.append(face)
                    owners.append((path, sha, i))
                }
            }
            let request = WatchlistSearchRequest(method: method, k: k, threshold: threshold,
                                                 ann: ANNSearchOptions(efSearch: efSearch, nprobe: nprobe))
            let results = try WatchlistSearcher.shared.search(queries, scope: scope, request: request, in: repository)
            if json {
                var response = SearchResponse(results, watchlist: watchlist, method: method, probes: probes)
                for (i, owner) in owners.enumerated() {
                    response.faces?[i].image = owner.image
                    response.faces?[i].imageSHA256 = owner.sha
                    response.faces?[i].face = owner.face
                }
                response.modelName = scope.model.key.name
                response.modelSHA256 = scope.model.key.weightsSHA256
                try JSONOutput.print(response)
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
}

extension SearchMethod: ExpressibleByArgument {}
