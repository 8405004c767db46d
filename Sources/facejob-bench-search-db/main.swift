import Foundation
import Postgres
import Search
import Store
import Watchlist

// The database rows of the search benchmark (run by scripts/bench.d/search-db): register
// throughput into PostgreSQL, full index build, incremental build after adding 1 %, and the time
// to load the index from PostgreSQL into a fresh process cache. Synthetic clustered 128-d
// embeddings: identities × 50 samples.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Float {
        let u1 = max(Double(next() >> 11) / Double(1 << 53), Double.ulpOfOne)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}

func images(_ range: Range<Int>, perIdentity: Int, generator g: inout Generator, centres: inout [Int: [Float]]) -> [EnrollmentImage] {
    range.map { n in
        let identity = n / perIdentity
        let centre = centres[identity] ?? {
            let v = (0..<128).map { _ in g.gaussian() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm * 0.9 }
        }()
        centres[identity] = centre
        let embedding = centre.map { $0 + 0.03 * g.gaussian() }
        let sha = String(format: "%064llx", UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1)
        return EnrollmentImage(path: "synthetic/\(identity)/\(n).jpg", sha256: sha, width: 160, height: 160,
                               identity: IdentitySpec(name: "id\(identity)"),
                               faces: [EnrollmentFace(box: [40, 40, 80, 80], landmarks: [], detectionScore: 0.99, embedding: embedding)])
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: facejob-bench-search-db DATABASE_URL COUNT [FACTORY]\n".utf8))
    exit(64)
}
let url = arguments[1]
let factory = arguments.count > 3 ? arguments[3] : "HNSW32,Flat"
let perIdentity = 50
do {
    let schema = "bench_\(count)_\(ProcessInfo.processInfo.processIdentifier)"
    let admin = try PostgresConnection(url: url)
    try admin.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE; CREATE SCHEMA \(schema)")
    defer { try? admin.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
    let connection = try PostgresConnection(url: url)
    try connection.executeScript("SET search_path TO \(schema)")
    try Migrator().migrate(connection)
    let repository = WatchlistRepository(connection: connection)
    let watchlist = try repository.ensureWatchlist(named: "bench", actor: "bench")
    let model = try repository.model(for: EmbeddingModelKey(name: "synthetic-128", weightsSHA256: String(repeating: "0", count: 64),
                                                           dimension: 128, metric: "euclidean"))
    let scope = WatchlistScope(watchlist: watchlist, model: model)
    var generator = Generator(state: 42)
    var centres: [Int: [Float]] = [:]
    let batch = 5_000
    var registerTime = 0.0
    for start in stride(from: 0, to: count, by: batch) {
        let chunk = images(start..<min(count, start + batch), perIdentity: perIdentity, generator: &generator, centres: &centres)
        registerTime += try seconds { _ = try repository.enroll(chunk, scope: scope, actor: "bench") }
    }
    let builder = WatchlistIndexBuilder(repository: repository, scope: scope)
    var outcome: IndexBuildOutcome?
    let fullBuild = try seconds { outcome = try builder.build(IndexBuildRequest(factory: factory)) }
    let extra = max(1, count / 100)
    let more = images(count..<(count + extra), perIdentity: perIdentity, generator: &generator, centres: &centres)
    _ = try repository.enroll(more, scope: scope, actor: "bench")
    var incremental: IndexBuildOutcome?
    let incrementalBuild = try seconds { incremental = try builder.build(IndexBuildRequest()) }
    let segments = try repository.segments(scope, withBytes: false)
    let bytes = segments.reduce(0) { $0 + $1.byteCount }

    let galleryLoad = try seconds { _ = try repository.allEmbeddings(scope) }
    var segmentsRead = 0.0
    segmentsRead = try seconds { _ = try repository.segments(scope) }
    let service = WatchlistSearcher(cache: WatchlistIndexCache())
    let indexLoad = try seconds { _ = try service.annCoverage(scope: scope, in: repository) }
    let probe = (0..<128).map { _ in generator.gaussian() * 0.08 }
    let warmSearch = try seconds { _ = try service.search([QueryFace(embedding: probe)], scope: scope,
                                                          request: WatchlistSearchRequest(method: .ann, k: 10), in: repository) }

    func row(_ name: String, _ value: String, _ note: String = "") { print("| \(name) | \(value) | \(note) |") }
    print("")
    print("### search-db: \(count) embeddings (\(count / perIdentity) identities × \(perIdentity)), \(factory), PostgreSQL \(connection.serverVersion)")
    print("")
    print("| measure | value | note |")
    print("|---|---|---|")
    row("register into PostgreSQL (binary COPY, batches of \(batch))", String(format: "%.0f faces/s", Double(count) / registerTime),
        String(format: "%.2f s total; storage only, no detection/embedding", registerTime))
    row("full index build", String(format: "%.2f s", fullBuild),
        String(format: "%d batches, %d segments, %d MiB; segment read %.2f s, write %.2f s", outcome?.batches ?? 0,
               segments.count, bytes / 1_048_576, outcome?.segmentReadSeconds ?? 0, outcome?.segmentWriteSeconds ?? 0))
    row("incremental build after adding 1 % (\(extra))", String(format: "%.2f s", incrementalBuild),
        String(format: "%.1f %% of the full build (goal ≤ 5 %%); %d batch(es); segment read %.2f s, write %.2f s",
               100 * incrementalBuild / fullBuild, incremental?.batches ?? 0, incremental?.segmentReadSeconds ?? 0,
               incremental?.segmentWriteSeconds ?? 0))
    row("read gallery from PostgreSQL", String(format: "%.2f s", galleryLoad), "\(count + extra) × 512 B")
    row("read segment bytes from PostgreSQL", String(format: "%.2f s", segmentsRead), "\(bytes / 1_048_576) MiB")
    row("load index into a fresh process cache", String(format: "%.2f s", indexLoad), "gallery + segments + FAISS deserialise")
    row("first ANN search after load", String(format: "%.4f s", warmSearch), "1 query, k 10, includes freshness check")
} catch {
    FileHandle.standardError.write(Data("facejob-bench-search-db: \(error)\n".utf8))
    exit(1)
}
