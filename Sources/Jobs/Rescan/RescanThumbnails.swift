import Common
import Foundation
import Media
import Reports
import Store

/// A rescan's thumbnails: the footage is checked against the SHA-256 its job recorded, then only
/// the frames of hits are decoded, by seeking to each group of nearby hit frames. A file that
/// changed or went missing keeps its hits and loses its thumbnails, with a warning.
struct RescanThumbnails {
    /// The rescan's report folder.
    let reportDirectory: URL
    /// Hit frames closer than this (ms) are decoded in one pass instead of seeking again.
    var gapMs: Int64 = 5_000

    /// What cutting an input's thumbnails did.
    struct Outcome {
        var thumbnails: [(frameIndex: Int64, detectionIndex: Int, path: String)] = []
        var warning: String?
        var framesDecoded: Int64 = 0
    }

    /// Cuts the thumbnails of `hits` (one input's) from `path`, which must still hash to `sha256`.
    func cut(path: String, sha256: String, jobID: Int64, rescanOrdinal: Int, hits: [StoredHit]) -> Outcome {
        var out = Outcome()
        guard !hits.isEmpty else { return out }
        guard FileManager.default.fileExists(atPath: path) else {
            out.warning = "\(path): the file is missing; its hits are kept without thumbnails"
            return out
        }
        do {
            let now = try SHA256Hex.file(at: path)
            guard now == sha256 else {
                out.warning = "\(path): the file has changed since job \(jobID) recorded it (SHA-256 \(now), recorded "
                    + "\(sha256)); its hits are kept without thumbnails"
                return out
            }
        } catch {
            out.warning = "\(path): the file cannot be read (\(error)); its hits are kept without thumbnails"
            return out
        }
        // One face per detection, whatever identities it matched.
        var faces: [Int64: [Int: StoredHit]] = [:]
        for h in hits { faces[h.detection.frameIndex, default: [:]][h.detection.detectionIndex] = h }
        let frames = faces.keys.sorted()
        let ptsOf = Dictionary(hits.map { ($0.detection.frameIndex, $0.detection.ptsMicroseconds / 1000) }, uniquingKeysWith: { a, _ in a })
        var groups: [[Int64]] = []
        for f in frames {
            if let last = groups.last?.last, let a = ptsOf[last], let b = ptsOf[f], b - a <= gapMs {
                groups[groups.count - 1].append(f)
            } else {
                groups.append([f])
            }
        }
        do {
            for group in groups {
                var options = DecodeOptions()
                options.frames = Set(group)
                options.fromMs = ptsOf[group[0]]
                options.toMs = ptsOf[group[group.count - 1]]
                let decoder = try VideoDecoder(path: path, options: options)
                defer { out.framesDecoded += decoder.stats.framesDecoded }
                while let frame = try decoder.next() {
                    guard let image = frame.image else { continue }
                    for (d, hit) in (faces[frame.index] ?? [:]).sorted(by: { $0.key < $1.key }) {
                        guard let crop = Thumbnail.crop(image, box: hit.detection.box) else { continue }
                        let relative = ThumbnailPath.forHit(inputIndex: rescanOrdinal, frameIndex: frame.index,
                                                            trackID: hit.detection.trackID)
                        let url = reportDirectory.appendingPathComponent(relative)
                        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try JPEGWriter.write(crop, to: url.path, quality: 85)
                        out.thumbnails.append((frame.index, d, relative))
                    }
                }
            }
        } catch {
            out.warning = "\(path): thumbnails could not be cut (\(error)); the hits are kept"
        }
        let cut = Set(out.thumbnails.map(\.frameIndex))
        if out.warning == nil, let missing = frames.first(where: { !cut.contains($0) }) {
            out.warning = "\(path): frame \(missing) was not found when seeking; \(frames.filter { !cut.contains($0) }.count) "
                + "hit frame(s) have no thumbnail"
        }
        return out
    }
}
