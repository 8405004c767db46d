import Common
import FaceEngine
import Footage
import Foundation
import Jobs
import Postgres
import Store
import Watchlist

// The stored-footage benchmark's database side (scripts/bench footage). Not part of any product.
//   facejob-bench-footage seed URL COUNT     a finished job "bench-footage" of COUNT synthetic faces:
//                                            100 cameras, tracks of 20 faces of one person each
//   facejob-bench-footage query URL QUERIES [DIR]
//                                            find over every stored face: corpus load, then QUERIES
//                                            probes timed one by one (warm), and recall@10 of the
//                                            answer's faces against a brute-force scan in Double;
//                                            with DIR, the corpus and the probes are written there as
//                                            raw float32 (vectors.f32, probes.f32) for the peer

var rng: UInt64 = 0xF00_7A9E
func uniform() -> Double {
    rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(rng >> 11) / Double(1 << 53)
}
func gaussian() -> Float { Float((-2 * log(max(uniform(), 1e-12))).squareRoot() * cos(2 * .pi * uniform())) }
let dimension = FaceEmbedder.dimensions
let people = 5_000
/// Identity centres: the same sequence for `seed` and `query`, so probes are real people of the corpus.
func centres() -> [[Float]] {
    rng = 0xF00_7A9E
    return (0..<people).map { _ in (0..<dimension).map { _ in 0.09 * gaussian() } }
}

func seed(_ connection: PostgresConnection, count: Int) throws {
    let start = Date()
    let sha = EmbeddingModelKey(embedder: try ModelCatalog().embedder()).weightsSHA256
    let manifest = Manifest(name: "bench-footage", watchlist: "bench", inputs: [InputSpec(source: .path("/synthetic/cam-000.mp4"))],
                            sampling: Sampling(), detector: DetectorSettings(), model: Manifest.defaultModel,
                            search: SearchSettings(), tracking: TrackingSettings(),
                            report: ReportSettings(directory: "/tmp/facejob-bench-footage/reports", thumbnails: false))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let jobID = try connection.execute("""
        INSERT INTO jobs (name, manifest_hash, manifest, base_dir, report_dir, status, runs, started_at, finished_at, models)
        VALUES ('bench-footage', $1, $2::jsonb, '/tmp', '/tmp/facejob-bench-footage/reports', 'done', 1, now(), now(), $3::jsonb)
        RETURNING id
        """, [.text("synthetic-\(count)-\(UUID().uuidString)"), .text(String(decoding: try encoder.encode(manifest), as: UTF8.self)),
              .text("[{\"name\":\"dlib_resnet_v1\",\"role\":\"embedder\",\"sha256\":\"\(sha)\"}]")]).scalar(Int64.self)
    let centre = centres()
    let cameras = 100, perTrack = 20, perCamera = (count + cameras - 1) / cameras
    for camera in 0..<cameras {
        let faces = min(perCamera, count - camera * perCamera)
        guard faces > 0 else { break }
        try connection.execute("""
            INSERT INTO job_inputs (job_id, ordinal, path, sha256, size_bytes, modified_ns, camera, recorded_at, status,
                frame_width, frame_height, frames_sampled, faces)
            VALUES ($1, $2, $3, $4, 0, 0, $5, '2026-11-01T08:00:00Z', 'done', 1920, 1080, $6, $6)
            """, [.int8(jobID), .int4(Int32(camera)), .text(String(format: "/synthetic/cam-%03d.mp4", camera)),
                  .text(String(format: "%064x", camera)), .text(String(format: "cam-%03d", camera)), .int8(Int64(faces))])
        try connection.transaction {
            try connection.copyIn("""
                COPY job_detections (job_id, input_ordinal, frame_index, sample_ordinal, pts_us, detection_index, box_x, box_y,
                    box_w, box_h, score, track_id, embedding) FROM STDIN (FORMAT binary)
                """) { w in
                var person = 0
                for n in 0..<faces {
                    if n % perTrack == 0 { person = Int(uniform() * Double(people)) }
                    let embedding = centre[person].map { $0 + 0.02 * gaussian() }
                    try w.append([.int8(jobID), .int4(Int32(camera)), .int8(Int64(n)), .int8(Int64(n)), .int8(Int64(n) * 200_000),
                                  .int4(0), .float8(100), .float8(100), .float8(80), .float8(80), .float8(0.99),
                                  .int8(Int64(n / perTrack + 1)), .float4Array(embedding)])
                }
            }
        }
    }
    try connection.execute("ANALYZE job_detections")
    print("seeded job \(jobID) with \(count) synthetic faces in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
}

func query(_ connection: PostgresConnection, queries: Int, dump: String?) throws {
    let jobs = JobRepository(connection: connection), footage = FootageRepository(connection: connection)
    let sha = EmbeddingModelKey(embedder: try ModelCatalog().embedder()).weightsSHA256
    let loadStart = Date()
    let corpus = try FootageSearcher.shared.corpus(modelSHA256: sha, only: nil, jobs: jobs, footage: footage)
    let load = Date().timeIntervalSince(loadStart)
    let centre = centres()
    rng = 0x9_0E2F
    let probes = (0..<queries).map { _ in centre[Int(uniform() * Double(people))].map { $0 + 0.02 * gaussian() } }
    if let dump {
        var vectors = Data()
        for row in 0..<corpus.count { corpus.withVector(atRow: row) { vectors.append(Data(buffer: $0)) } }
        try vectors.write(to: URL(fileURLWithPath: dump + "/vectors.f32"))
        try Data(probes.flatMap { $0 }.withUnsafeBufferPointer { Data(buffer: $0) }).write(to: URL(fileURLWithPath: dump + "/probes.f32"))
    }
    let q = FootageQuery(k: 10)
    var times: [Double] = []
    for p in probes {
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try FootageSearcher.shared.find([FootageProbe(embedding: p, modelSHA256: sha, label: "bench")], query: q, jobs: jobs,
                                            footage: footage)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    times.sort()
    // Recall of the 10 nearest faces against a brute-force scan in Double, on the first 20 probes.
    var agree = 0, total = 0
    for p in probes.prefix(20) {
        let fast = Set(try corpus.nearest(p, k: 10).map(\.distance).map { ($0 * 1e4).rounded() })
        let exact = corpus.nearestByScan(p, k: 10).map { ($0.distance * 1e4).rounded() }
        agree += exact.filter(fast.contains).count
        total += exact.count
    }
    let usage = peakKiB()
    print(String(format: "corpus %d faces loaded in %.2f s; find k=10 over %d probes: median %.1f ms, p90 %.1f ms, max %.1f ms; "
                 + "recall@10 vs brute force %.4f; peak RSS %.0f MiB",
                 corpus.count, load, queries, times[times.count / 2], times[times.count * 9 / 10], times[times.count - 1],
                 Double(agree) / Double(max(1, total)), Double(usage) / 1024))
}

func peakKiB() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, let n = Int(arguments[3]), n > 0, ["seed", "query"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: facejob-bench-footage seed URL COUNT | query URL QUERIES [DIR]\n".utf8))
    exit(64)
}
do {
    let connection = try PostgresConnection(url: arguments[2])
    try Migrator().migrate(connection)
    if arguments[1] == "seed" { try seed(connection, count: n) } else { try query(connection, queries: n, dump: arguments.count > 4 ? arguments[4] : nil) }
} catch {
    FileHandle.standardError.write(Data("facejob-bench-footage: \(error)\n".utf8))
    exit(1)
}
