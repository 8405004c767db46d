import Foundation
import Postgres
import TestSupport
import XCTest

/// Unknown persons through the built binary on real faces: the labelled photos of
/// ../shared/data/faces/deepface (identities from master.csv's "Yes" pairs) are made into a clip,
/// one photo per second with two seconds of black between them (so no track spans two photos), and
/// searched against a watchlist that holds none of them. Every unknown person must hold one
/// identity only, every identity whose tracks are linked (means within the clustering threshold)
/// must be one unknown person, a second job joins the persons of the first
/// without renumbering them, merges and splits are audited, and a promoted person is then found
/// by `search` in a photo the clip never showed.
final class UnknownPersonsTests: XCTestCase {
    /// Identities with two or more photos, from master.csv's "Yes" pairs (connected components).
    private func identities(_ faces: URL) throws -> [[String]] {
        let csv = try String(contentsOf: faces.appendingPathComponent("master.csv"), encoding: .utf8)
        var parent: [String: String] = [:]
        func root(_ x: String) -> String {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        for line in csv.components(separatedBy: .newlines).dropFirst() {
            let cells = line.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard cells.count >= 3, cells[2] == "Yes" else { continue }
            for c in cells[0...1] where parent[c] == nil { parent[c] = c }
            let (a, b) = (root(cells[0]), root(cells[1]))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var groups: [String: [String]] = [:]
        for name in parent.keys { groups[root(name), default: []].append(name) }
        return groups.values.map { $0.sorted() }.filter { $0.count >= 2 }.sorted { $0[0] < $1[0] }
    }

    /// Seconds from one photo to the next in a clip: 1 s of photo, then black.
    private let slot = 3.0

    /// A clip showing `photos` one after another: 1 s each on a 640x480 canvas, black between.
    private func clip(_ photos: [URL], named name: String, in folder: URL) throws -> URL {
        var args: [String] = []
        var graph = ""
        for (i, photo) in photos.enumerated() {
            args += ["-loop", "1", "-framerate", "25", "-t", "1", "-i", photo.path]
            graph += "[\(i)]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,"
                + "format=yuv420p[p\(i)];color=black:s=640x480:r=25:d=\(slot - 1),format=yuv420p[b\(i)];"
        }
        graph += photos.indices.map { "[p\($0)][b\($0)]" }.joined() + "concat=n=\(2 * photos.count):v=1:a=0[v]"
        let out = folder.appendingPathComponent("\(name).mp4")
        try run(args + ["-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-crf", "18", "-r", "25", out.path])
        return out
    }

    private func run(_ args: [String]) throws {
        let r = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffmpeg"), ["-v", "error", "-y"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// Persons of an unknowns.json: label → the photos its sightings show (from their times).
    private func persons(_ file: URL, photos: [String]) throws -> [(label: String, photos: [String])] {
        let report = try json(try String(contentsOf: file, encoding: .utf8))
        let list = try XCTUnwrap(report["persons"] as? [[String: Any]])
        return try list.map { p in
            let sightings = try XCTUnwrap(p["sightings"] as? [[String: Any]])
            let shown = try sightings.map { s -> String in
                try photo(atMicroseconds: Int64(try XCTUnwrap(s["first_pts_ms"] as? Int)) * 1000, photos)
            }
            return (try XCTUnwrap(p["id"] as? String), shown)
        }
    }

    /// A manifest over one clip, five faces per photo (every 5th frame), thumbnails on.
    private func manifest(_ name: String, clip: URL, unknowns: Bool, in f: EndToEndFixture) throws -> URL {
        let url = f.folder.appendingPathComponent("\(name).json")
        try """
            {"name": "\(name)", "watchlist": "hamilton", "inputs": [{"path": "\(clip.path)", "camera": "desk-\(name)"}],
             "sampling": {"every_n": 5}, "unknowns": \(unknowns), "report": {"directory": "reports-\(name)"}}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The photo on screen at a time of a clip.
    private func photo(atMicroseconds us: Int64, _ photos: [String]) throws -> String {
        let n = Int(Double(us) / 1e6 / slot)
        XCTAssertLessThan(Double(us) / 1e6 - Double(n) * slot, 1.0, "a track starts while a photo is shown")
        return photos[min(n, photos.count - 1)]
    }

    func testUnknownPersonsOnePerIdentityStableIdsCorrectionsAndPromotion() throws {
        let f = try EndToEndFixture(self)
        let faces = f.data.deletingLastPathComponent().appendingPathComponent("faces/deepface")
        let groups = try identities(faces)
        XCTAssertGreaterThanOrEqual(groups.count, 5, "master.csv names several people with two or more photos")
        // img7 (of the largest group) is kept out of the clips: the promoted person is searched with it.
        let largest = try XCTUnwrap(groups.max { $0.count < $1.count })
        let withheld = try XCTUnwrap(largest.last)
        let shown = groups.flatMap { $0 }.filter { $0 != withheld }
        let identityOf = Dictionary(uniqueKeysWithValues: groups.enumerated().flatMap { i, g in g.map { ($0, i) } })
        let first = try clip(shown.map { faces.appendingPathComponent($0) }, named: "photos", in: f.folder)
        try f.register("alex-lacamoire.png", as: "Alex Lacamoire")  // nobody in the photos
        let photosManifest = try manifest("photos", clip: first, unknowns: true, in: f)
        let ran = try f.binary.run(["run", photosManifest.path, "--database", f.url])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        let report = f.folder.appendingPathComponent("reports-photos/unknowns")
        let found = try persons(report.appendingPathComponent("unknowns.json"), photos: shown)

        // No person mixes two identities.
        for p in found {
            XCTAssertEqual(Set(p.photos.map { identityOf[$0] ?? -1 }).count, 1, "\(p.label) mixes identities: \(p.photos)")
        }
        // Every identity whose tracks are linked (their means within the clustering's threshold,
        // directly or through other tracks of the same identity) is exactly one unknown person.
        let stored = try f.admin.execute("""
            SELECT first_us, representative FROM \(f.schema).unknown_tracks WHERE job_id = (
                SELECT id FROM \(f.schema).jobs WHERE name = 'photos')
            """, resultFormat: .binary).rows.map { ($0, try $0.decode(1, as: [Float].self)) }
        let threshold = Float(0.55)  // UnknownClustering.defaultThreshold
        let tracks = try stored.map { (photo: try photo(atMicroseconds: try $0.0.decode(0, as: Int64.self), shown), vector: $0.1) }
        XCTAssertGreaterThanOrEqual(Set(tracks.map(\.photo)).count, shown.count - 1, "a track for (nearly) every photo")
        for group in groups {
            let members = tracks.filter { group.contains($0.photo) }
            guard !members.isEmpty else { continue }
            var linked: Set<Int> = [0]
            var grew = true
            while grew {
                grew = false
                for a in members.indices where !linked.contains(a) {
                    let near = linked.contains { b in
                        zip(members[a].vector, members[b].vector).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) <= threshold * threshold
                    }
                    if near { linked.insert(a); grew = true }
                }
            }
            let holders = Set(found.filter { !Set($0.photos).isDisjoint(with: group) }.map(\.label))
            if linked.count == members.count, members.count > 1 {
                XCTAssertEqual(holders.count, 1, "\(group) are linked but became \(holders.sorted())")
            }
        }
        // And not by splitting everything: most identities are one person each.
        let whole = groups.filter { g in Set(found.filter { !Set($0.photos).isDisjoint(with: g) }.map(\.label)).count == 1 }
        XCTAssertGreaterThanOrEqual(whole.count * 3, groups.count * 2, "\(whole.count) of \(groups.count) identities are one person")
        let html = try String(contentsOf: report.appendingPathComponent("unknowns.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<img"), "thumbnails are shown")
        XCTAssertTrue(FileManager.default.fileExists(atPath: report.appendingPathComponent("unknowns.csv").path))

        // A second job (the photos of two identities again, re-encoded, other order) joins the
        // persons of the first: no new person, no id changes.
        let again = groups.prefix(2).flatMap { $0 }.filter { $0 != withheld }.reversed()
        let second = try clip(again.map { faces.appendingPathComponent($0) }, named: "again", in: f.folder)
        let run2 = try f.binary.run(["run", try manifest("again", clip: second, unknowns: false, in: f).path,
                                     "--database", f.url])
        XCTAssertEqual(run2.status, 0, run2.stderr)
        // Two clustering runs at once: the second waits for the first's lock, then finds nothing
        // left to place; no track is placed twice and no id is handed out twice.
        let results = Outputs()
        DispatchQueue.concurrentPerform(iterations: 2) { n in
            let r = try? f.binary.run(["unknowns", "again", "--json", "--database", f.url,
                                       "--out", f.folder.appendingPathComponent("unknowns-again-\(n)").path])
            results.set(n, r.map { ($0.status, $0.stdout, $0.stderr) })
        }
        let runs = try (0..<2).map { try XCTUnwrap(results.get($0)) }
        XCTAssertEqual(runs.map(\.status), [0, 0], runs.map(\.stderr).joined())
        let summaries = try runs.map { try json($0.stdout) }
        let placed = summaries.map { $0["tracks_placed"] as? Int ?? -1 }.sorted()
        XCTAssertEqual(placed.first, 0, "the second run found every track placed")
        let summary = try XCTUnwrap(summaries.first { ($0["tracks_placed"] as? Int ?? 0) > 0 })
        XCTAssertEqual(summary["joined_existing"] as? Int, summary["tracks_placed"] as? Int, "\(summary)")
        XCTAssertEqual((summary["new_persons"] as? [String])?.count, 0)
        let listed = try f.binary.run(["unknowns", "list", "--json", "--database", f.url])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let before = Set(found.map(\.label))
        let after = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(Set(after.compactMap { $0["id"] as? String }), before, "the same U-ids")

        // Corrections: merge two persons, split them again; both audited.
        let two = found.prefix(2).map(\.label)
        let merged = try f.binary.run(["unknowns", "merge", two[0], two[1], "--reason", "same coat", "--database", f.url])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let gone = try f.binary.run(["watchlist", "promote", two[1], "--watchlist", "x", "--identity", "y", "--database", f.url])
        XCTAssertEqual(gone.status, 64, "a merged id names the person it went into")
        XCTAssertTrue(gone.stderr.contains("merged into \(two[0])"), gone.stderr)
        let secondTracks = try XCTUnwrap(after.first { $0["id"] as? String == two[1] }?["tracks"] as? [String])
        var split = ["unknowns", "split", two[0], "--database", f.url]
        for t in secondTracks { split += ["--track", t] }
        let splitRun = try f.binary.run(split)
        XCTAssertEqual(splitRun.status, 0, splitRun.stderr)
        let actions = try f.admin.execute("SELECT action FROM \(f.schema).audit_log WHERE action LIKE 'unknown%' ORDER BY id")
            .rows.map { try $0.decode(0, as: String.self) }
        XCTAssertEqual(actions.filter { $0 == "unknown.merge" }.count, 1)
        XCTAssertEqual(actions.filter { $0 == "unknown.split" }.count, 1)
        XCTAssertEqual(actions.filter { $0 == "unknowns.cluster" }.count, 3, "every clustering run, also one that placed nothing")

        // Promote the person of the largest identity; `search` then names it in the withheld photo.
        let person = try XCTUnwrap(found.first { $0.photos.contains(largest[0]) }?.label)
        let promote = try f.binary.run(["watchlist", "promote", person, "--watchlist", "found", "--identity", "Person One",
                                        "--external-id", "case-7", "--json", "--database", f.url])
        XCTAssertEqual(promote.status, 0, promote.stderr)
        let promoted = try json(promote.stdout)
        XCTAssertEqual((promoted["face_ids"] as? [Any])?.count, 5)
        XCTAssertTrue((promoted["sources"] as? [String])?.allSatisfy { $0.hasPrefix("footage:job/") } == true)
        let search = try f.binary.run(["search", "--watchlist", "found", "--json", "--database", f.url,
                                       faces.appendingPathComponent(withheld).path])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stdout.contains("Person One"), search.stdout)
        XCTAssertEqual(try f.admin.execute("SELECT count(*) FROM \(f.schema).audit_log WHERE action = 'unknown.promote'")
            .scalar(Int.self), 1)
        // Purging a job deletes its tracks from every unknown person.
        let purged = try f.binary.run(["jobs", "purge", "again", "--reason", "case closed", "--database", f.url])
        XCTAssertEqual(purged.status, 0, purged.stderr)
        XCTAssertEqual(try f.admin.execute("""
            SELECT count(*) FROM \(f.schema).unknown_tracks t LEFT JOIN \(f.schema).jobs j ON j.id = t.job_id WHERE j.id IS NULL
            """).scalar(Int.self), 0)
        XCTAssertEqual(try f.admin.execute("SELECT count(DISTINCT job_id) FROM \(f.schema).unknown_tracks").scalar(Int.self), 1)
        let missing = try f.binary.run(["watchlist", "promote", "U-999999", "--watchlist", "found", "--identity", "z",
                                        "--database", f.url])
        XCTAssertEqual(missing.status, 64, missing.stderr)
    }
}

/// What concurrent child processes printed, by slot.
private final class Outputs: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: (status: Int32, stdout: String, stderr: String)] = [:]

    func set(_ slot: Int, _ value: (status: Int32, stdout: String, stderr: String)?) {
        lock.lock()
        values[slot] = value
        lock.unlock()
    }

    func get(_ slot: Int) -> (status: Int32, stdout: String, stderr: String)? {
        lock.lock()
        defer { lock.unlock() }
        return values[slot]
    }
}
