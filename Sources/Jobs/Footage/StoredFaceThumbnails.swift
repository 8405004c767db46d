import Common
import Foundation
import Media
import Store

/// Thumbnails of stored faces (a rescan's hits, unknown persons' best faces): the footage is
/// checked against the SHA-256 its job recorded, then only the frames of those faces are decoded,
/// by seeking to each group of nearby frames (groups side by side, one per core). A file that
/// changed or went missing keeps its faces listed and loses their thumbnails, with a warning.
struct StoredFaceThumbnails {
    /// The report folder.
    let reportDirectory: URL
    /// Hit frames closer than this (ms) are decoded in one pass instead of seeking again.
    var gapMs: Int64 = 5_000
    /// A pass longer than this (ms) is cut in two, so that long runs of hits decode on every core
    /// (each piece costs one more seek: the frames from its keyframe on).
    var pieceMs: Int64 = 30_000

    /// What cutting an input's thumbnails did.
    struct Outcome {
        var thumbnails: [(frameIndex: Int64, detectionIndex: Int, path: String)] = []
        var warning: String?
        var framesDecoded: Int64 = 0
    }

    /// Cuts the thumbnails of `faces` (one input's) from `path`, which must still hash to `sha256`.
    /// `ordinal` numbers the input in the report (thumbnail names carry it); `noun` names the
    /// faces in warnings ("hits").
    func cut(path: String, sha256: String, jobID: Int64, ordinal: Int, faces list: [DetectionRow],
             noun: String = "hits") -> Outcome {
        var out = Outcome()
        guard !list.isEmpty else { return out }
        guard FileManager.default.fileExists(atPath: path) else {
            out.warning = "\(path): the file is missing; its \(noun) are kept without thumbnails"
            return out
        }
        do {
            let now = try SHA256Hex.file(at: path)
            guard now == sha256 else {
                out.warning = "\(path): the file has changed since job \(jobID) recorded it (SHA-256 \(now), recorded "
                    + "\(sha256)); its \(noun) are kept without thumbnails"
                return out
            }
        } catch {
            out.warning = "\(path): the file cannot be read (\(error)); its \(noun) are kept without thumbnails"
            return out
        }
        // One thumbnail per detection, whatever identities it matched.
        var faces: [Int64: [Int: DetectionRow]] = [:]
        for d in list { faces[d.frameIndex, default: [:]][d.detectionIndex] = d }
        let frames = faces.keys.sorted()
        let ptsOf = Dictionary(list.map { ($0.frameIndex, $0.ptsMicroseconds / 1000) }, uniquingKeysWith: { a, _ in a })
        var groups: [[Int64]] = []
        for f in frames {
            if let first = groups.last?.first, let last = groups.last?.last, let a = ptsOf[last], let b = ptsOf[f],
               let start = ptsOf[first], b - a <= gapMs, b - start <= pieceMs {
                groups[groups.count - 1].append(f)
            } else {
                groups.append([f])
            }
        }
        // Groups are independent: each decodes on a core of its own (one decoder thread each).
        let results = GroupResults(count: groups.count)
        let threads = groups.count > 1 ? 1 : 0
        DispatchQueue.concurrentPerform(iterations: groups.count) { g in
            results.set(g, Result { try cutGroup(groups[g], faces: faces, ptsOf: ptsOf, path: path, ordinal: ordinal,
                                            threads: threads) })
        }
        for result in results.all() {
            switch result {
            case .success(let (thumbnails, decoded)):
                out.thumbnails += thumbnails
                out.framesDecoded += decoded
            case .failure(let error):
                if out.warning == nil { out.warning = "\(path): thumbnails could not be cut (\(error)); the \(noun) are kept" }
            }
        }
        let cut = Set(out.thumbnails.map(\.frameIndex))
        if out.warning == nil, let missing = frames.first(where: { !cut.contains($0) }) {
            out.warning = "\(path): frame \(missing) was not found when seeking; \(frames.filter { !cut.contains($0) }.count) "
                + "frame(s) of \(noun) have no thumbnail"
        }
        return out
    }

    /// Decodes one group of nearby frames (one seek) and writes their faces' thumbnails.
    private func cutGroup(_ group: [Int64], faces: [Int64: [Int: DetectionRow]], ptsOf: [Int64: Int64], path: String,
                          ordinal: Int, threads: Int) throws -> ([(frameIndex: Int64, detectionIndex: Int, path: String)], Int64) {
        var options = DecodeOptions()
        options.frames = Set(group)
        options.fromMs = ptsOf[group[0]]
        options.toMs = ptsOf[group[group.count - 1]]
        options.threads = threads
        let decoder = try VideoDecoder(path: path, options: options)
        var written: [(frameIndex: Int64, detectionIndex: Int, path: String)] = []
        // The same crops, names and files as a run's thumbnails.
        let cutter = ThumbnailCutter(reportDirectory: reportDirectory, enabled: true)
        while let frame = try decoder.next() {
            var done: [Int: String] = [:]
            for (d, face) in (faces[frame.index] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let relative = try cutter.cut(frame, box: face.box, detectionIndex: d, inputOrdinal: ordinal,
                                                    trackID: face.trackID, written: &done) else { continue }
                written.append((frame.index, d, relative))
            }
        }
        return (written, decoder.stats.framesDecoded)
    }
}

/// Per-group outcomes written by concurrent iterations.
private final class GroupResults: @unchecked Sendable {
    typealias Outcome = Result<([(frameIndex: Int64, detectionIndex: Int, path: String)], Int64), Error>
    private var slots: [Outcome?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Outcome) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func all() -> [Outcome] { slots.compactMap { $0 } }
}
