import Common
import Foundation
import Media
import Reports
import Store

/// The evidence clips of a job's sightings (`"report": {"clips": true}`): each sighting's span
/// widened by `marginMs` on both sides, cut by stream copy (`ClipCutter`) into `clips/` of the
/// report folder, after the footage is checked against the SHA-256 the job recorded. Footage that
/// changed or went missing gets no clip and a warning instead; the job still completes.
enum EvidenceClips {
    /// Seconds of context before and after a sighting.
    static let marginMs: Int64 = 2_000

    /// Cuts a clip per sighting of the bundle into `folder`'s `clips/`; returns what to store.
    static func cut(_ bundle: ReportBundle, into folder: URL) -> [ClipRow] {
        let inputs = bundle.header.inputs
        let ordinalOf = bundle.header.inputOrdinals
        var footage: [String: String?] = [:]  // path -> nil when usable, else why not
        func problem(_ input: ReportInput) -> String? {
            if let known = footage[input.path] { return known }
            let why: String?
            if !FileManager.default.fileExists(atPath: input.path) {
                why = "\(input.path) is missing"
            } else if let now = try? SHA256Hex.file(at: input.path) {
                why = now == input.sha256 ? nil : "\(input.path) has changed since the job recorded it (SHA-256 \(now))"
            } else {
                why = "\(input.path) cannot be read"
            }
            footage[input.path] = why
            return why
        }
        var rows: [ClipRow] = []
        for s in bundle.sortedSightings {
            guard let ordinal = ordinalOf[s.inputPath] else { continue }
            var row = ClipRow(sightingID: s.sightingID, inputOrdinal: ordinal, identityID: s.identityID, trackID: s.trackID,
                              path: nil, sha256: nil, fromMs: nil, toMs: nil, warning: nil)
            if let why = problem(inputs[ordinal]) {
                row.warning = why + "; no clip"
                rows.append(row)
                continue
            }
            let relative = "clips/s\(String(format: "%06lld", s.sightingID)).mp4"
            do {
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("clips"), withIntermediateDirectories: true)
                let clip = try ClipCutter.cut(s.inputPath, fromMs: max(0, s.firstPtsMicroseconds / 1000 - marginMs),
                                              toMs: s.lastPtsMicroseconds / 1000 + marginMs,
                                              to: folder.appendingPathComponent(relative))
                let name = "clips/" + clip.url.lastPathComponent
                row.path = name
                row.sha256 = try SHA256Hex.file(at: clip.url.path)
                row.fromMs = clip.fromMs
                row.toMs = clip.toMs
            } catch {
                row.warning = "\(s.inputPath): the clip could not be cut (\(error))"
            }
            rows.append(row)
        }
        return rows
    }

    /// The bundle with the stored clips on its sightings (only while a clip's sighting still has
    /// the identity, input and track it was cut for).
    static func apply(_ clips: [ClipRow], to bundle: ReportBundle) -> ReportBundle {
        guard !clips.isEmpty else { return bundle }
        let bySighting = Dictionary(clips.map { ($0.sightingID, $0) }, uniquingKeysWith: { a, _ in a })
        let ordinalOf = bundle.header.inputOrdinals
        var out = bundle
        for i in out.sightings.indices {
            let s = out.sightings[i]
            guard let c = bySighting[s.sightingID], c.identityID == s.identityID, c.trackID == s.trackID,
                  c.inputOrdinal == ordinalOf[s.inputPath] else { continue }
            out.sightings[i].clipPath = c.path
            out.sightings[i].clipSHA256 = c.sha256
            out.sightings[i].clipWarning = c.warning
        }
        return out
    }
}
