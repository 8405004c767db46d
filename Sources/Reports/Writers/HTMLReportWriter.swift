import Foundation

/// `report.html`: one self-contained page (inline CSS, no scripts, no network) an investigator
/// reads in any browser: the job header, each input's status and errors, and every sighting in
/// time order with its best thumbnail beside the identity's enrolled photo.
///
/// Enrolled photos are copied once per identity to `enrolled/<identity id>.<ext>` rather than
/// embedded as data URIs: an identity seen in hundreds of sightings would otherwise repeat its
/// photo hundreds of times, and the copies sit beside `thumbs/` as plain evidence files.
public struct HTMLReportWriter: ReportWriter {
    /// Creates the writer.
    public init() {}

    /// `report.html`.
    public var fileName: String { "report.html" }

    /// Relative path of an identity's enrolled photo copy.
    public static func enrolledPhotoPath(identityID: Int64, photo: EnrolledPhoto) -> String {
        "enrolled/\(identityID).\(photo.kind.fileExtension)"
    }

    /// Copies the enrolled photos of identities that have sightings.
    public func writeSupportingFiles(_ bundle: ReportBundle, to directory: URL) throws {
        for id in Set(bundle.sightings.map(\.identityID)).sorted() {
            guard let photo = bundle.enrolledPhotos[id] else { continue }
            let url = directory.appendingPathComponent(Self.enrolledPhotoPath(identityID: id, photo: photo))
            try AtomicFile.write(Data(photo.data), to: url)
        }
    }

    /// The page.
    public func render(_ bundle: ReportBundle) throws -> String {
        let h = bundle.header
        let e = HTMLText.escape
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>facejob report: \(e(h.jobName))</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #111; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        th { background: #eee; }
        .mono { font-family: monospace; word-break: break-all; }
        .failed, .partial { color: #a00; font-weight: bold; }
        .sighting { border: 1px solid #888; padding: 0.75em; margin-bottom: 1em; }
        .review { font-size: 0.6em; padding: 0.15em 0.5em; border-radius: 0.5em; vertical-align: middle; }
        .review.confirmed { background: #cfe8cf; }
        .review.rejected { background: #f3cccc; }
        \(HTMLAnalystSections.css)
        .pair { display: flex; gap: 1em; }
        figure { margin: 0; }
        figure img { max-width: 240px; max-height: 240px; border: 1px solid #444; }
        .missing { width: 160px; height: 160px; border: 1px dashed #888; display: flex; align-items: center; justify-content: center; color: #666; }
        </style>
        </head>
        <body>
        <h1>facejob report: \(e(h.jobName))</h1>
        <table>
        <tr><th>job id</th><td class="mono">\(e(h.jobID))</td></tr>
        <tr><th>manifest SHA-256</th><td class="mono">\(e(h.manifestHash))</td></tr>
        <tr><th>facejob version</th><td>\(e(h.facejobVersion))</td></tr>
        <tr><th>generated at</th><td>\(e(h.generatedAt))</td></tr>

        """
        for m in h.models {
            out += "<tr><th>model (\(e(m.role)))</th><td>\(e(m.name)) <span class=\"mono\">\(e(m.weightsSHA256))</span></td></tr>\n"
        }
        out += "</table>\n"
        if let r = h.rescan { out += rescanSection(r) }
        out += "<h2>Inputs</h2>\n<table>\n"
        out += "<tr><th>file</th><th>SHA-256</th><th>camera</th><th>recorded at</th><th>status</th><th>frames sampled</th><th>faces</th><th>hits</th><th>error</th></tr>\n"
        for i in h.inputs {
            out += "<tr><td class=\"mono\">\(e(i.path))</td><td class=\"mono\">\(e(i.sha256))</td>"
                + "<td>\(e(i.camera ?? ""))</td><td>\(e(i.recordedAt?.rfc3339 ?? ""))"
                + (i.recordedAt != nil ? i.recordedAtSource.map { "<br><small>from \(e($0))</small>" } ?? "" : "") + "</td>"
                + "<td class=\"\(e(i.status))\">\(e(i.status))</td><td>\(i.framesSampled)</td><td>\(i.faces)</td>"
                + "<td>\(i.hits)</td><td>\(e(i.error ?? ""))</td></tr>\n"
        }
        out += "</table>\n"
        out += try HTMLAnalystSections.people(bundle)
        out += HTMLAnalystSections.timelines(bundle)
        out += HTMLAnalystSections.table(bundle)
        let sightings = bundle.sortedSightings
        out += "<h2>Sightings (\(sightings.count))</h2>\n"
        if sightings.isEmpty { out += "<p>No face in the footage matched the watchlist under the threshold.</p>\n" }
        for s in sightings { out += try sighting(s, bundle: bundle) }
        out += "<h2>Settings</h2>\n<table>\n"
        for s in h.settings { out += "<tr><th>\(e(s.name))</th><td>\(e(s.value))</td></tr>\n" }
        out += "</table>\n<h2>Timings</h2>\n<table>\n"
        for t in h.timings {
            out += "<tr><th>\(e(t.stage))</th><td>\(FixedDecimal.format(t.seconds, places: 3)) s</td></tr>\n"
        }
        out += "</table>\n" + HTMLAnalystSections.script + "\n</body>\n</html>\n"
        return out
    }

    /// What a rescan report says first: it searched stored faces, of which jobs, against which
    /// watchlist state, and what it could not do.
    private func rescanSection(_ r: ReportRescan) -> String {
        let e = HTMLText.escape
        var out = "<h2>Rescan \(e(r.id))</h2>\n<p>Stored faces of finished jobs searched again against the watchlist as it "
            + "is now; no footage was decoded except the frames of hits, for thumbnails "
            + "(\(r.framesDecoded) frames).</p>\n<table>\n"
        out += "<tr><th>jobs</th><td>\(r.jobs.map(e).joined(separator: "<br>"))</td></tr>\n"
        out += "<tr><th>watchlist</th><td>\(e(r.watchlist))</td></tr>\n"
        out += "<tr><th>watchlist state</th><td>\(e(r.watchlistState))</td></tr>\n</table>\n"
        if !r.skipped.isEmpty {
            out += "<h3>Not rescanned</h3>\n<ul>\n" + r.skipped.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        if !r.warnings.isEmpty {
            out += "<h3 class=\"partial\">Warnings</h3>\n<ul>\n"
                + r.warnings.map { "<li class=\"partial\">\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        return out
    }

    private func sighting(_ s: SightingRecord, bundle: ReportBundle) throws -> String {
        let e = HTMLText.escape
        let name = e(s.identityName) + (s.externalID.map { " (\(e($0)))" } ?? "")
        var out = "<section class=\"sighting\" id=\"sighting-\(s.sightingID)\">\n"
        let badge = s.review.map { r in
            " <span class=\"review \(e(r.decision))\" title=\"\(e(r.reviewer)), \(e(r.decidedAt))\">\(e(r.decision))</span>"
        } ?? ""
        out += "<h3>Sighting \(s.sightingID): \(name)\(badge)</h3>\n<div class=\"pair\">\n"
        if let thumb = s.bestThumbnailPath {
            out += "<figure><img src=\"\(try HTMLText.relativeLink(thumb))\" alt=\"best frame\" loading=\"lazy\"><figcaption>best frame \(s.bestFrame) at \(MediaTime.clock(microseconds: s.bestPtsMicroseconds))</figcaption></figure>\n"
        } else {
            out += "<figure><div class=\"missing\">no thumbnail</div><figcaption>best frame \(s.bestFrame)</figcaption></figure>\n"
        }
        if let photo = bundle.enrolledPhotos[s.identityID] {
            let link = try HTMLText.relativeLink(Self.enrolledPhotoPath(identityID: s.identityID, photo: photo))
            out += "<figure><img src=\"\(link)\" alt=\"enrolled photo\" loading=\"lazy\"><figcaption>enrolled: \(name)</figcaption></figure>\n"
        } else {
            out += "<figure><div class=\"missing\">no enrolled photo</div><figcaption>enrolled: \(name)</figcaption></figure>\n"
        }
        out += "</div>\n<table>\n"
        out += "<tr><th>file</th><td class=\"mono\">\(e(s.inputPath))</td></tr>\n"
        if let camera = s.camera { out += "<tr><th>camera</th><td>\(e(camera))</td></tr>\n" }
        out += row("first seen", s.firstFrame, s.firstPtsMicroseconds, s.firstWallClock)
        out += row("last seen", s.lastFrame, s.lastPtsMicroseconds, s.lastWallClock)
        out += row("best frame", s.bestFrame, s.bestPtsMicroseconds, s.bestWallClock)
        out += "<tr><th>best distance</th><td>\(CSVReportWriter.unit(s.bestDistance))</td></tr>\n"
        out += "<tr><th>hits</th><td>\(s.hitCount)</td></tr>\n"
        out += "<tr><th>track</th><td>\(s.trackID)</td></tr>\n"
        if let clip = s.clipPath {
            out += "<tr><th>evidence clip</th><td><a href=\"\(try HTMLText.relativeLink(clip))\">\(e(clip))</a>"
                + "<br><small class=\"mono\">SHA-256 \(e(s.clipSHA256 ?? ""))</small></td></tr>\n"
        } else if let warning = s.clipWarning {
            out += "<tr><th>evidence clip</th><td>none: \(e(warning))</td></tr>\n"
        }
        if let r = s.review {
            out += "<tr><th>review</th><td>\(e(r.decision)) by \(e(r.reviewer)) at \(e(r.decidedAt))"
                + (r.reason.map { ": \(e($0))" } ?? "") + "</td></tr>\n"
        }
        out += "</table>\n</section>\n"
        return out
    }

    private func row(_ label: String, _ frame: Int64, _ pts: Int64, _ wall: String?) -> String {
        let wallText = wall.map { " · " + HTMLText.escape($0) } ?? ""
        return "<tr><th>\(label)</th><td>\(MediaTime.clock(microseconds: pts))\(wallText) (frame \(frame))</td></tr>\n"
    }
}
