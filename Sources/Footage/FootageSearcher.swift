import Common
import Foundation
import Postgres
import Reports
import Store

/// `find`: where and when a probe's person appears in the stored footage. The stored faces of
/// the finished jobs (embedded with the probe's model) are searched exactly; the nearest faces
/// under the threshold are grouped by track into sightings, ranked by their closest face. One per
/// process (`shared`): the corpus of a set of jobs is loaded once and kept while those jobs stay
/// as they are (a purged or re-run job makes the next search load it again).
public final class FootageSearcher: @unchecked Sendable {
    /// The process's searcher.
    public static let shared = FootageSearcher()

    private let lock = NSLock()
    private var cached: (key: String, corpus: FootageCorpus)?

    /// A searcher with a cache of its own.
    public init() {}

    /// The sightings of each probe's person, best first (at most `query.k` per probe).
    public func find(_ probes: [FootageProbe], query: FootageQuery, jobs: JobRepository,
                     footage: FootageRepository) throws -> [[FootageSighting]] {
        guard query.k > 0, query.k <= 10_000 else { throw FootageError.invalid("-k must be between 1 and 10000, got \(query.k)") }
        let threshold = query.threshold ?? 0.6
        guard threshold.isFinite, threshold >= 0 else {
            throw FootageError.invalid("the threshold must be a non-negative number, got \(threshold)")
        }
        return try probes.map { probe in
            let corpus = try self.corpus(modelSHA256: probe.modelSHA256, only: query.jobs, jobs: jobs, footage: footage)
            return try Self.sightings(of: probe.embedding, in: corpus, query: query, threshold: threshold)
        }
    }

    /// The corpus of every finished job embedded with the model (or of `only`), loaded or cached.
    public func corpus(modelSHA256: String, only: [Int64]?, jobs: JobRepository,
                       footage: FootageRepository) throws -> FootageCorpus {
        var chosen = try jobs.jobs(limit: Int(Int32.max)).filter { $0.isFinished && $0.embedderSHA256 == modelSHA256 }
        if let only {
            for id in only where !chosen.contains(where: { $0.id == id }) {
                let job = try jobs.job(id: id)
                guard job.isFinished else { throw FootageError.invalid("job \(id) \"\(job.name)\" has not finished (\(job.status))") }
            }
            chosen = chosen.filter { only.contains($0.id) }
        }
        chosen.sort { $0.id < $1.id }
        let namespace = try WatchlistRepository(connection: jobs.connection).cacheNamespace()
        let key = namespace + "|" + modelSHA256 + "|" + chosen.map {
            "\($0.id):\($0.runs):\($0.finishedAt?.timeIntervalSince1970 ?? 0)"
        }.joined(separator: ",")
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.key == key { return cached.corpus }
        cached = nil
        let corpus = try FootageCorpus.load(jobs: chosen, repository: jobs, footage: footage)
        cached = (key, corpus)
        return corpus
    }

    /// Nearest faces under the threshold, grown until `k` sightings pass the filters or no face
    /// under the threshold is left, grouped by (job, input, track).
    static func sightings(of probe: [Float], in corpus: FootageCorpus, query: FootageQuery,
                          threshold: Float) throws -> [FootageSighting] {
        var wanted = min(corpus.count, max(256, query.k * 32))
        while true {
            let nearest = try corpus.nearest(probe, k: wanted)
            let under = nearest.filter { $0.distance <= threshold }
            let groups = group(under, corpus: corpus, query: query)
            let exhausted = under.count < nearest.count || wanted >= corpus.count
            if groups.count >= query.k || exhausted {
                return groups.prefix(query.k).enumerated().map { n, s in
                    var s = s
                    s.rank = n + 1
                    return s
                }
            }
            wanted = min(corpus.count, wanted * 4)
        }
    }

    private static func group(_ faces: [(row: Int, distance: Float)], corpus c: FootageCorpus,
                              query: FootageQuery) -> [FootageSighting] {
        var order: [String] = []
        var byTrack: [String: FootageSighting] = [:]
        for (row, distance) in faces {
            guard let input = c.inputs["\(c.jobIDs[row])/\(c.ordinals[row])"] else { continue }
            if let camera = query.camera, input.record.file.camera != camera { continue }
            if query.from != nil || query.to != nil {
                guard let start = input.recordedAt else { continue }
                let seconds = Double(start.epochNanoseconds(atMicroseconds: c.pts[row])) / 1e9
                if let from = query.from, seconds < from.timeIntervalSince1970 { continue }
                if let to = query.to, seconds > to.timeIntervalSince1970 { continue }
            }
            let track = c.tracks[row]
            let key = "\(c.jobIDs[row])/\(c.ordinals[row])/" + (track > 0 ? "t\(track)" : "f\(c.frames[row])/\(c.detections[row])")
            let moment = FootageSighting.Moment(frameIndex: c.frames[row], ptsMicroseconds: c.pts[row], recordedAt: input.recordedAt)
            if var s = byTrack[key] {
                s.faces += 1
                if c.pts[row] < Int64(s.first.ptsMs * 1000) { s.first = moment }
                if c.pts[row] > Int64(s.last.ptsMs * 1000) { s.last = moment }
                byTrack[key] = s
                continue
            }
            order.append(key)
            let b = row * 4
            byTrack[key] = FootageSighting(
                rank: 0, jobID: c.jobIDs[row], jobName: input.job.name, inputOrdinal: Int(c.ordinals[row]),
                inputPath: input.record.file.path, camera: input.record.file.camera, trackID: track, first: moment, last: moment,
                best: moment, bestDetectionIndex: Int(c.detections[row]),
                bestBox: PixelBox(x: Double(c.boxes[b]), y: Double(c.boxes[b + 1]), width: Double(c.boxes[b + 2]),
                                  height: Double(c.boxes[b + 3])),
                distance: distance, faces: 1)
        }
        // Faces arrive nearest first, so a track's first face is its best and `order` is by distance.
        return order.compactMap { byTrack[$0] }
    }
}
