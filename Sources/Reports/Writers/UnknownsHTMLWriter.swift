import Foundation

/// `unknowns.html`: one self-contained page (inline CSS, no scripts, no network) with a card per
/// unknown person in the report's order: its best thumbnail large and the others in a strip, how
/// often and on how many cameras it was seen, when, and a table of its sightings.
public struct UnknownsHTMLWriter {
    /// Creates the writer.
    public init() {}

    /// `unknowns.html`.
    public var fileName: String { "unknowns.html" }

    /// The page; throws when a thumbnail path would point outside the report folder.
    public func render(_ report: UnknownsReport) throws -> String {
        let e = HTMLText.escape
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>facejob unknown persons</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #111; }
        table { border-collapse: collapse; margin-bottom: 1em; }
        th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        th { background: #eee; }
        .mono { font-family: monospace; word-break: break-all; }
        .warning { color: #a00; font-weight: bold; }
        .person { border: 1px solid #888; padding: 0.75em; margin-bottom: 1em; }
        .badge { font-size: 0.6em; padding: 0.15em 0.5em; border-radius: 0.5em; background: #ddd; vertical-align: middle; }
        .badge.promoted { background: #cfe8cf; }
        .promoted-to { font-size: 0.7em; font-weight: normal; color: #333; }
        .thumbs { display: flex; gap: 1em; align-items: flex-start; margin-bottom: 0.75em; }
        .main { max-width: 240px; max-height: 240px; border: 1px solid #444; }
        .strip { display: flex; flex-wrap: wrap; gap: 0.5em; }
        .strip img { max-width: 96px; max-height: 96px; border: 1px solid #444; }
        .missing { width: 160px; height: 160px; border: 1px dashed #888; color: #666;
          display: flex; align-items: center; justify-content: center; }
        </style>
        </head>
        <body>
        <h1>Unknown persons (\(report.persons.count))</h1>
        <table>
        <tr><th>generated at</th><td>\(e(report.generatedAt))</td></tr>
        <tr><th>jobs</th><td>\(report.jobIDs.map(String.init).joined(separator: ", "))</td></tr>
        <tr><th>link threshold</th><td>\(FixedDecimal.format(report.threshold, places: 6))</td></tr>
        </table>

        """
        if !report.warnings.isEmpty {
            out += "<h2 class=\"warning\">Warnings</h2>\n<ul>\n"
                + report.warnings.map { "<li class=\"warning\">\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        if report.persons.isEmpty { out += "<p>No unknown person was seen.</p>\n" }
        for person in report.persons { out += try card(person) }
        out += "</body>\n</html>\n"
        return out
    }

    /// Renders and writes the file atomically into `directory`; returns the file's URL.
    @discardableResult
    public func write(_ report: UnknownsReport, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(fileName)
        let text = try render(report)
        try AtomicFile.write(Data(text.utf8), to: url)
        return url
    }

    private func card(_ p: UnknownsReport.Person) throws -> String {
        let e = HTMLText.escape
        let label = e(p.label)
        var out = "<section class=\"person\" id=\"person-\(label)\">\n"
        out += "<h2>\(label) <span class=\"badge \(e(p.status))\">\(e(p.status))</span>"
        if let target = p.promotedTo { out += " <span class=\"promoted-to\">promoted to \(e(target))</span>" }
        out += "</h2>\n<div class=\"thumbs\">\n"
        if let best = p.thumbnails.first {
            out += "<img class=\"main\" src=\"\(try HTMLText.relativeLink(best))\" alt=\"\(label) best face\">\n"
        } else {
            out += "<div class=\"missing\">no thumbnail</div>\n"
        }
        if p.thumbnails.count > 1 {
            out += "<div class=\"strip\">\n"
            for (i, thumb) in p.thumbnails.enumerated().dropFirst() {
                out += "<img src=\"\(try HTMLText.relativeLink(thumb))\" alt=\"\(label) face \(i + 1)\">\n"
            }
            out += "</div>\n"
        }
        out += "</div>\n<table>\n"
        out += "<tr><th>sightings</th><td>\(p.sightings.count)</td></tr>\n"
        out += "<tr><th>cameras</th><td>\(p.cameraCount)</td></tr>\n"
        if let first = p.sightings.first, let last = p.sightings.last {
            let firstSeen = UnknownsJSONWriter.firstSeen(p) ?? Self.moment(first, first: true)
            let lastSeen = UnknownsJSONWriter.lastSeen(p) ?? Self.moment(last, first: false)
            out += "<tr><th>first seen</th><td>\(e(firstSeen))</td></tr>\n"
            out += "<tr><th>last seen</th><td>\(e(lastSeen))</td></tr>\n"
        }
        out += "</table>\n<table>\n<tr><th>camera</th><th>file</th><th>first – last</th><th>faces</th></tr>\n"
        for s in p.sightings { out += Self.sightingRow(s) }
        out += "</table>\n</section>\n"
        return out
    }

    /// One row of a person's sightings table (unescaped input is escaped here).
    private static func sightingRow(_ s: UnknownsReport.Sighting) -> String {
        let e = HTMLText.escape
        var times = MediaTime.clock(microseconds: s.firstPtsMicroseconds) + " – "
            + MediaTime.clock(microseconds: s.lastPtsMicroseconds)
        if let from = s.firstWallClock, let to = s.lastWallClock {
            times += "<br><small>\(e(from)) – \(e(to))</small>"
        }
        return "<tr><td>\(e(s.camera ?? ""))</td><td class=\"mono\" title=\"\(e(s.inputPath))\">"
            + "\(e(fileName(s.inputPath)))</td><td>\(times)</td><td>\(s.faces)</td></tr>\n"
    }

    /// When a sighting starts or ends: its wall clock if known, else `job NAME, FILE at TIME`.
    static func moment(_ s: UnknownsReport.Sighting, first: Bool) -> String {
        if let wall = first ? s.firstWallClock : s.lastWallClock { return wall }
        let pts = first ? s.firstPtsMicroseconds : s.lastPtsMicroseconds
        return "job \(s.jobName), \(fileName(s.inputPath)) at \(MediaTime.clock(microseconds: pts))"
    }

    /// The last path component of an input path.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
