// Benchmark driver for `scripts/bench search`: reads a dataset the script generated, times exact
// search, segmented ANN builds (full and incremental) and ANN searches, and prints one JSON object.
// Not a product: users never see it.
import COpenBLAS
import Foundation
import Search

struct Arguments {
    var data = ""
    var factories = ["HNSW32,Flat"]
    var efSearch = [16, 32, 64, 128]
    var nprobe = [8, 16, 32, 64]
    var k = 10
    var repeats = 3
    var overFetch = 1
    var batchSize = 16_384
    var capacity = 262_144

    init(_ argv: [String]) throws {
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < argv.count else { throw BenchError("missing value after \(argv[i - 1])") }
            return argv[i]
        }
        func ints(_ s: String) throws -> [Int] {
            try s.split(separator: ",").map { guard let v = Int($0) else { throw BenchError("not a number: \($0)") }; return v }
        }
        while i < argv.count {
            switch argv[i] {
            case "--data": data = try value()
            case "--factories": factories = try value().split(separator: ";").map(String.init)
            case "--ef": efSearch = try ints(value())
            case "--nprobe": nprobe = try ints(value())
            case "--k": k = try ints(value()).first ?? 10
            case "--repeats": repeats = try ints(value()).first ?? 3
            case "--over-fetch": overFetch = try ints(value()).first ?? 1
            case "--batch": batchSize = try ints(value()).first ?? 16_384
            case "--capacity": capacity = try ints(value()).first ?? 262_144
            default: throw BenchError("unknown argument \(argv[i])")
            }
            i += 1
        }
        guard !data.isEmpty else { throw BenchError("--data DIR is required") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

func readFloats(_ path: String) throws -> [Float] {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

func readInt64s(_ path: String) throws -> [Int64] {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Recall of `answer` against `truth`: @1 = same first id, @k = overlap of the top k.
func recall(_ answer: [[SearchHit]], _ truth: [[SearchHit]], k: Int) -> (at1: Double, atK: Double) {
    var first = 0, overlap = 0
    for (a, t) in zip(answer, truth) {
        if a.first?.id == t.first?.id { first += 1 }
        overlap += Set(a.prefix(k).map(\.id)).intersection(t.prefix(k).map(\.id)).count
    }
    return (Double(first) / Double(truth.count), Double(overlap) / Double(truth.count * k))
}

func run() throws {
    let args = try Arguments(CommandLine.arguments)
    let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: args.data + "/meta.json"))) as? [String: Any] ?? [:]
    guard let d = meta["d"] as? Int else { throw BenchError("meta.json has no d") }
    let vectors = try readFloats(args.data + "/gallery.f32")
    let queries = try readFloats(args.data + "/queries.f32")
    let n = vectors.count / d, nq = queries.count / d
    let gallery = try EmbeddingMatrix(dimension: d, ids: (0..<Int64(n)).map { $0 }, vectors: vectors)
    var out: [String: Any] = ["n": n, "d": d, "queries": nq, "k": args.k, "over_fetch": args.overFetch,
                              "blas_threads": Int(openblas_get_num_threads()), "faiss_threads": FaissIndex.threads]

    // Exact: all queries in one batch, as the pipeline sends them.
    let exact = ExactSearcher(gallery: gallery, metric: .euclidean)
    _ = try exact.search(Array(queries.prefix(10 * d)), k: args.k)
    var truth: [[SearchHit]] = []
    let exactTimes = try (0..<args.repeats).map { _ in try seconds { truth = try exact.search(queries, k: args.k) } }
    out["exact_seconds"] = median(exactTimes)
    out["exact_qps"] = Double(nq) / median(exactTimes)
    if FileManager.default.fileExists(atPath: args.data + "/faiss_flat_labels.i64") {
        let labels = try readInt64s(args.data + "/faiss_flat_labels.i64")
        var same = 0
        for i in 0..<nq { same += Set(truth[i].map(\.id)).intersection(labels[i * args.k..<(i + 1) * args.k]).count }
        out["exact_agreement_with_faiss"] = Double(same) / Double(nq * args.k)
    }
    if let galleryIdentity = try? readInt64s(args.data + "/gallery_identities.i64"),
       let queryIdentity = try? readInt64s(args.data + "/query_identities.i64") {
        let correct = (0..<nq).filter { i in truth[i].first.map { galleryIdentity[Int($0.id)] == queryIdentity[i] } ?? false }.count
        out["exact_identity_rank1"] = Double(correct) / Double(nq)
    }

    var factories: [[String: Any]] = []
    for factory in args.factories {
        var report: [String: Any] = ["factory": factory]
        let options = SegmentBuildOptions(factory: factory, metric: .euclidean, dimension: d,
                                          batchSize: args.batchSize, segmentCapacity: args.capacity)
        let builder = try SegmentBuilder(options: options)
        let store = InMemorySegmentStore()
        let base = n - n / 100
        report["full_build_vectors"] = base
        report["full_build_seconds"] = try seconds { try builder.build(from: gallery.subset(rows: 0..<base), into: store) }
        report["incremental_vectors"] = n - base
        report["incremental_seconds"] = try seconds { try builder.build(from: gallery, into: store) }
        let segments = try store.segments()
        report["segments"] = segments.count
        report["segment_factories"] = segments.map(\.factory)
        report["bytes"] = segments.map(\.bytes.count).reduce(0, +)
        var ann: SegmentedANNIndex?
        report["load_seconds"] = try seconds { ann = try SegmentedANNIndex(segments: segments, gallery: gallery, metric: .euclidean) }
        guard let ann else { throw BenchError("index did not load") }
        let isNative = factory.hasPrefix("NativeIVF")
        let rawIndexes = isNative ? [] : try segments.map { try FaissIndex(serialized: $0.bytes) }
        let isHNSW = factory.hasPrefix("HNSW")
        let isIVF = factory.hasPrefix("IVF") || isNative
        // facejob's own IVF parallelises over lists with Dispatch, one OpenBLAS thread per sgemm,
        // as the pipeline and the API run every search (BLASThreads.set(1)).
        let blasThreads = Int(openblas_get_num_threads())
        if isNative { openblas_set_num_threads(1) }
        defer { openblas_set_num_threads(Int32(blasThreads)) }
        report["blas_threads"] = Int(openblas_get_num_threads())
        let sweep: [Int?] = isHNSW ? args.efSearch : isIVF ? args.nprobe : [nil]
        var points: [[String: Any]] = []
        for value in sweep {
            let searchOptions = ANNSearchOptions(overFetch: args.overFetch,
                                                 efSearch: isHNSW ? value : nil, nprobe: isIVF ? value : nil)
            _ = try ann.search(Array(queries.prefix(10 * d)), k: args.k, options: searchOptions)
            var answer: [[SearchHit]] = []
            let times = try (0..<args.repeats).map { _ in try seconds { answer = try ann.search(queries, k: args.k, options: searchOptions) } }
            let r = recall(answer, truth, k: args.k)
            // FAISS alone (Debian's libfaiss through the shim), every segment, no re-rank: what the
            // library costs before facejob's merging and exact re-ranking.
            let rawOptions = FaissSearchOptions(efSearch: isHNSW ? value : nil, nprobe: isIVF ? value : nil)
            let raw = try (0..<(isNative ? 0 : args.repeats)).map { _ in
                try seconds { for index in rawIndexes { _ = try index.search(queries, k: args.k * args.overFetch, options: rawOptions) } }
            }
            var point: [String: Any] = ["param": isHNSW ? "efSearch" : isIVF ? "nprobe" : "-", "value": value ?? 0,
                                        "qps": Double(nq) / median(times), "recall_at_1": r.at1, "recall_at_k": r.atK]
            if !raw.isEmpty { point["raw_faiss_qps"] = Double(nq) / median(raw) }
            points.append(point)
        }
        report["search"] = points
        factories.append(report)
    }
    out["ann"] = factories
    let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
    FileHandle.standardOutput.write(json)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("facejob-bench-search: \(error)\n".utf8))
    exit(1)
}
