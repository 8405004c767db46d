import Foundation

/// The parts of report.html an analyst reads first: who was seen (one row per identity), where and
/// when (one timeline per camera, drawn as inline SVG, one lane per identity, one bar per
/// sighting), and every sighting in a table that a few lines of script sort, filter and page
/// through (without script it is a plain, complete table).
enum HTMLAnalystSections {
    /// CSS for these sections.
    static let css = """
        .people img { max-width: 96px; max-height: 96px; border: 1px solid #444; }
        .timeline { margin-bottom: 1.5em; }
        .timeline svg { border: 1px solid #ccc; background: #fafafa; }
        .timeline .bar { fill: #3a6ea5; }
        .timeline .bar.confirmed { fill: #2e7d32; }
        .timeline .bar.rejected { fill: #b71c1c; }
        .timeline text { font-size: 11px; font-family: sans-serif; }
        #sightings-table th { cursor: pointer; }
        .pager { margin: 0.5em 0; }
        """

    /// The per-identity summary.
    static func people(_ bundle: ReportBundle) throws -> String {
        let e = HTMLText.escape
        let sightings = bundle.sortedSightings
        guard !sightings.isEmpty else { return "" }
        var out = "<h2>People seen</h2>\n<table class=\"people\">\n"
            + "<tr><th>enrolled</th><th>best frame</th><th>identity</th><th>first seen</th><th>last seen</th>"
            + "<th>cameras</th><th>sightings</th><th>hits</th></tr>\n"
        let byIdentity = Dictionary(grouping: sightings, by: \.identityID)
        for id in byIdentity.keys.sorted(by: { name(byIdentity[$0]) < name(byIdentity[$1]) || (name(byIdentity[$0]) == name(byIdentity[$1]) && $0 < $1) }) {
            guard let group = byIdentity[id], let any = group.first else { continue }
            let best = group.min { $0.bestDistance < $1.bestDistance } ?? any
            // First and last seen in wall-clock time where any sighting has it (times within
            // different footage cannot be compared), else within the footage.
            let timed = group.filter { $0.recordedAt != nil }
            let candidates = timed.isEmpty ? group : timed
            let first = candidates.min { moment($0.firstPtsMicroseconds, $0) < moment($1.firstPtsMicroseconds, $1) } ?? any
            let last = candidates.max { moment($0.lastPtsMicroseconds, $0) < moment($1.lastPtsMicroseconds, $1) } ?? any
            let enrolled = try bundle.enrolledPhotos[id].map {
                "<img src=\"\(try HTMLText.relativeLink(HTMLReportWriter.enrolledPhotoPath(identityID: id, photo: $0)))\" alt=\"enrolled\">"
            } ?? "—"
            let thumb = try best.bestThumbnailPath.map { "<a href=\"#sighting-\(best.sightingID)\"><img src=\"\(try HTMLText.relativeLink($0))\" alt=\"best\"></a>" } ?? "—"
            let cameras = Set(group.map { $0.camera ?? ($0.inputPath as NSString).lastPathComponent }).count
            out += "<tr><td>\(enrolled)</td><td>\(thumb)</td><td>\(e(any.identityName))"
                + (any.externalID.map { " (\(e($0)))" } ?? "") + "</td>"
                + "<td>\(e(label(first.firstPtsMicroseconds, first.firstWallClock, first)))</td>"
                + "<td>\(e(label(last.lastPtsMicroseconds, last.lastWallClock, last)))</td>"
                + "<td>\(cameras)</td><td>\(group.count)</td><td>\(group.reduce(0) { $0 + $1.hitCount })</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// One SVG timeline per camera (an input without a camera is a camera of its own).
    static func timelines(_ bundle: ReportBundle) -> String {
        let e = HTMLText.escape
        let sightings = bundle.sortedSightings
        guard !sightings.isEmpty else { return "" }
        var out = "<h2>Timelines</h2>\n"
        let byCamera = Dictionary(grouping: sightings) { $0.camera ?? ($0.inputPath as NSString).lastPathComponent }
        for camera in byCamera.keys.sorted() {
            guard let group = byCamera[camera] else { continue }
            // Wall-clock time when every sighting has it, else time within the footage.
            let wall = group.allSatisfy { $0.recordedAt != nil }
            func t(_ us: Int64, _ s: SightingRecord) -> Double {
                wall ? Double(s.recordedAt?.epochNanoseconds(atMicroseconds: us) ?? 0) / 1e9 : Double(us) / 1e6
            }
            let start = group.map { t($0.firstPtsMicroseconds, $0) }.min() ?? 0
            let end = group.map { t($0.lastPtsMicroseconds, $0) }.max() ?? 0
            let span = max(end - start, 1)
            let names = Array(Set(group.map(\.identityName))).sorted()
            let labelWidth = 180.0, plot = 760.0, lane = 22.0
            let height = Double(names.count) * lane + 30
            out += "<div class=\"timeline\"><h3>\(e(camera))</h3>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plot + 20))\" height=\"\(Int(height))\" "
                + "role=\"img\" aria-label=\"timeline of \(e(camera))\">\n"
            for (n, name) in names.enumerated() {
                let y = Double(n) * lane + 4
                out += "<text x=\"4\" y=\"\(fmt(y + 14))\">\(e(String(name.prefix(28))))</text>\n"
                for s in group where s.identityName == name {
                    let x = labelWidth + (t(s.firstPtsMicroseconds, s) - start) / span * plot
                    let w = max(2, (t(s.lastPtsMicroseconds, s) - t(s.firstPtsMicroseconds, s)) / span * plot)
                    let tip = "\(name): \(label(s.firstPtsMicroseconds, s.firstWallClock, s)) – "
                        + "\(label(s.lastPtsMicroseconds, s.lastWallClock, s)), \(s.hitCount) hits"
                        + (s.review.map { ", \($0.decision)" } ?? "")
                    out += "<a href=\"#sighting-\(s.sightingID)\"><rect class=\"bar \(e(s.review?.decision ?? ""))\" "
                        + "data-sighting=\"\(s.sightingID)\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"16\">"
                        + "<title>\(e(tip))</title></rect></a>\n"
                }
            }
            let axis = height - 8
            let from = group.min { t($0.firstPtsMicroseconds, $0) < t($1.firstPtsMicroseconds, $1) }
            let to = group.max { t($0.lastPtsMicroseconds, $0) < t($1.lastPtsMicroseconds, $1) }
            out += "<text x=\"\(fmt(labelWidth))\" y=\"\(fmt(axis))\">"
                + "\(e(from.map { label($0.firstPtsMicroseconds, $0.firstWallClock, $0) } ?? ""))</text>\n"
                + "<text x=\"\(fmt(labelWidth + plot))\" y=\"\(fmt(axis))\" text-anchor=\"end\">"
                + "\(e(to.map { label($0.lastPtsMicroseconds, $0.lastWallClock, $0) } ?? ""))</text>\n"
            out += "</svg></div>\n"
        }
        return out
    }

    /// All sightings in one table; the script (`script`) sorts, filters and pages it.
    static func table(_ bundle: ReportBundle) -> String {
        let e = HTMLText.escape
        let sightings = bundle.sortedSightings
        guard !sightings.isEmpty else { return "" }
        var out = "<h2>All sightings</h2>\n<p><input type=\"search\" id=\"filter\" placeholder=\"filter: name, camera, review…\" "
            + "hidden> <span class=\"pager\" id=\"pager\" hidden><button id=\"prev\">‹ previous</button> <span id=\"page\"></span> "
            + "<button id=\"next\">next ›</button></span></p>\n<table id=\"sightings-table\">\n<thead><tr>"
            + "<th data-type=\"number\">sighting</th><th>identity</th><th>camera</th><th data-type=\"number\">first seen</th>"
            + "<th data-type=\"number\">last seen</th><th data-type=\"number\">hits</th><th data-type=\"number\">best distance</th>"
            + "<th>review</th></tr></thead>\n<tbody>\n"
        for s in sightings {
            out += "<tr><td data-value=\"\(s.sightingID)\"><a href=\"#sighting-\(s.sightingID)\">\(s.sightingID)</a></td>"
                + "<td>\(e(s.identityName))</td><td>\(e(s.camera ?? (s.inputPath as NSString).lastPathComponent))</td>"
                + "<td data-value=\"\(s.firstPtsMicroseconds)\">\(e(label(s.firstPtsMicroseconds, s.firstWallClock, s)))</td>"
                + "<td data-value=\"\(s.lastPtsMicroseconds)\">\(e(label(s.lastPtsMicroseconds, s.lastWallClock, s)))</td>"
                + "<td data-value=\"\(s.hitCount)\">\(s.hitCount)</td>"
                + "<td data-value=\"\(CSVReportWriter.unit(s.bestDistance))\">\(CSVReportWriter.unit(s.bestDistance))</td>"
                + "<td>\(e(s.review?.decision ?? ""))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// Sorting, filtering and paging of the sightings table (100 rows a page), and a self-check
    /// the tests use (`report.html?check`): every image loaded eagerly, then the number that did
    /// not load and of script errors written on `<body>`.
    static let script = """
        <script>
        (function () {
          var errors = 0;
          window.addEventListener('error', function () { errors++; document.body.dataset.errors = errors; });
          var table = document.getElementById('sightings-table');
          if (table) {
            var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows), shown = rows, page = 0, size = 100;
            var filter = document.getElementById('filter'), pager = document.getElementById('pager');
            filter.hidden = false;
            function render() {
              var pages = Math.max(1, Math.ceil(shown.length / size));
              page = Math.min(page, pages - 1);
              rows.forEach(function (r) { r.style.display = 'none'; });
              shown.forEach(function (r, i) {
                body.appendChild(r);
                r.style.display = (i >= page * size && i < (page + 1) * size) ? '' : 'none';
              });
              pager.hidden = pages < 2;
              document.getElementById('page').textContent = 'page ' + (page + 1) + ' of ' + pages;
            }
            filter.addEventListener('input', function () {
              var q = filter.value.toLowerCase();
              shown = rows.filter(function (r) { return r.textContent.toLowerCase().indexOf(q) >= 0; });
              page = 0; render();
            });
            document.getElementById('prev').addEventListener('click', function () { page = Math.max(0, page - 1); render(); });
            document.getElementById('next').addEventListener('click', function () { page++; render(); });
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
              var ascending = true;
              th.addEventListener('click', function () {
                var numeric = th.dataset.type === 'number';
                shown.sort(function (a, b) {
                  var x = a.cells[col].dataset.value || a.cells[col].textContent, y = b.cells[col].dataset.value || b.cells[col].textContent;
                  var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
                  return ascending ? c : -c;
                });
                ascending = !ascending; page = 0; render();
              });
            });
            render();
          }
          if (location.search.indexOf('check') >= 0) {
            var images = Array.prototype.slice.call(document.images), pending = images.length, broken = 0;
            function done() {
              document.body.dataset.imagesTotal = images.length;
              document.body.dataset.imagesBroken = broken;
              document.body.dataset.errors = errors;
              document.body.dataset.checked = '1';
            }
            if (pending === 0) done();
            images.forEach(function (img) {
              img.loading = 'eager';
              function settle(ok) { if (!ok) broken++; if (--pending === 0) done(); }
              if (img.complete && img.naturalWidth > 0) { settle(true); return; }
              img.addEventListener('load', function () { settle(img.naturalWidth > 0); });
              img.addEventListener('error', function () { settle(false); });
            });
          }
        })();
        </script>
        """

    private static func name(_ group: [SightingRecord]?) -> String { group?.first?.identityName ?? "" }

    /// Wall-clock instant when known, else time in the footage (for ordering).
    private static func moment(_ us: Int64, _ s: SightingRecord) -> Double {
        s.recordedAt.map { Double($0.epochNanoseconds(atMicroseconds: us)) / 1e9 } ?? Double(us) / 1e6
    }

    private static func label(_ us: Int64, _ wall: String?, _ s: SightingRecord) -> String {
        wall ?? MediaTime.clock(microseconds: us)
    }

    private static func fmt(_ v: Double) -> String { FixedDecimal.format(v, places: 1) }
}
