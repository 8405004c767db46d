import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob unknowns`: group the faces nobody enrolled into unknown persons, list them, and
/// correct the grouping (merge, split). Promotion into a watchlist is `facejob watchlist promote`.
struct UnknownsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unknowns",
        abstract: "Group the faces no watchlist identity matched into unknown persons (U-ids); list, merge, split.",
        discussion: """
        `facejob unknowns JOB...` (or --all, narrowed by --camera, --from, --to) groups the tracks of \
        finished jobs that matched no identity into unknown persons, across inputs, cameras and \
        jobs, and writes unknowns.csv, unknowns.json and unknowns.html (default: unknowns/ in the \
        newest job's report folder). A track stands for its best faces; two tracks are linked when \
        their means lie within --threshold, and Chinese whispers groups the links, deterministically; \
        two tracks seen at the same time in one input are never one person. Ids are stable: U-17 stays U-17; tracks of later jobs join the persons they match. Persons \
        who were seen on most cameras, then most often, come first.

        Correct the grouping with `facejob unknowns merge U-3 U-9` and `facejob unknowns split U-17 \
        --track JOB/INPUT/TRACK`; both leave an audit row and are never undone by later clustering. \
        Enrol a person with `facejob watchlist promote U-17 --watchlist W --identity NAME`. A job \
        does the grouping itself when its manifest says "unknowns": true.
        Exit: 0 done, 64 unknown job or U-id, a job not finished, nothing to group.
        """,
        subcommands: [Cluster.self, List.self, Merge.self, Split.self],
        defaultSubcommand: Cluster.self)

    /// `facejob unknowns [cluster] JOB...`.
    struct Cluster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Group the unmatched tracks of finished jobs into unknown persons and write their report.")
        @OptionGroup var db: JobDatabaseOptions
        @Argument(help: "Jobs: ids or names (the newest job of that name).") var jobs: [String] = []
        @Flag(help: "Every finished job (narrowed by --camera, --from, --to).") var all = false
        @Option(help: "Only inputs of this camera.") var camera: String?
        @Option(help: "Only inputs recorded at or after this time (RFC 3339).") var from: String?
        @Option(help: "Only inputs recorded at or before this time (RFC 3339).") var to: String?
        @Option(help: "Link distance between two tracks' mean faces.") var threshold = Double(UnknownsRequest(actor: "").threshold)
        @Option(help: "Faces averaged per track (its best by detection score).") var bestFaces = 5
        @Option(help: "Leave out tracks with fewer faces.") var minFaces = 2
        @Option(help: "Report folder (default: unknowns/ in the newest job's report folder).") var out: String?
        @Flag(help: "Do not cut thumbnails (then nothing is decoded).") var noThumbnails = false
        @Flag(help: "Print the outcome as JSON.") var json = false

        func validate() throws {
            if all == !jobs.isEmpty { throw ValidationError("name the jobs, or give --all, not both") }
            if !all, camera != nil || from != nil || to != nil {
                throw ValidationError("--camera, --from and --to narrow --all; with named jobs every finished input counts")
            }
            _ = try RescanCommand.time(from, "--from")
            _ = try RescanCommand.time(to, "--to")
        }

        func run() async throws {
            try await mapErrors {
                var request = UnknownsRequest(actor: AuditActor.current)
                request.jobs = jobs
                request.all = all
                request.camera = camera
                request.from = try RescanCommand.time(from, "--from")
                request.to = try RescanCommand.time(to, "--to")
                request.threshold = threshold
                request.bestFaces = bestFaces
                request.minFaces = minFaces
                request.reportDirectory = out
                request.thumbnails = !noThumbnails
                let connection = try db.locator().connect()
                let summary = try UnknownsRunner.run(request, connection: connection, progress: json ? nil : { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                })
                if json {
                    try JSONOutput.print(summary)
                } else {
                    print("job(s) \(summary.jobs.map(String.init).joined(separator: ", ")): \(summary.tracksPlaced) tracks "
                          + "placed, \(summary.joinedExisting) joined known persons, \(summary.newPersons.count) new "
                          + "person(s); \(summary.persons) unknown person(s) in these jobs; reports:")
                    for s in summary.skipped { print("left out: \(s)") }
                    for w in summary.warnings { print("warning: \(w)") }
                    for file in summary.reports { print(file) }
                }
            }
        }
    }

    /// `facejob unknowns list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List unknown persons: id, status, sightings, cameras, first and last seen.")
        @OptionGroup var db: JobDatabaseOptions
        @Option(help: "Only persons with a track in this job (id or name); repeatable.") var job: [String] = []
        @Option(help: "Only persons seen at least this many times.") var minSightings = 1
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await mapErrors {
                let connection = try db.locator().connect()
                let jobs = JobRepository(connection: connection)
                let ids = job.isEmpty ? nil : try job.map { try jobs.job(named: $0).id }
                let listing = try UnknownsListing.read(jobIDs: ids, minSightings: minSightings, connection: connection)
                if json {
                    try JSONOutput.print(listing)
                    return
                }
                if listing.isEmpty { print("no unknown persons (group them with `facejob unknowns JOB...`)") }
                for p in listing {
                    let promoted = p.promotedTo.map { "\tpromoted to \($0)" } ?? ""
                    let seen = p.firstSeen.map { first in "\t\(first) .. \(p.lastSeen ?? first)" } ?? ""
                    print("\(p.id)\t\(p.status)\t\(p.sightings) sightings\t\(p.cameras) cameras\(seen)\t"
                          + p.tracks.joined(separator: " ") + promoted)
                }
            }
        }
    }

    /// `facejob unknowns merge U-3 U-9 ...`.
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge unknown persons into the first one named (audited; later clustering keeps it).")
        @OptionGroup var db: JobDatabaseOptions
        @Argument(help: "Persons: the first keeps its id, the others are merged into it.") var persons: [String]
        @Option(help: "Why (kept in the audit row).") var reason: String?

        func validate() throws {
            if persons.count < 2 { throw ValidationError("name at least two persons, e.g. U-3 U-9") }
            for p in persons where UnknownPerson.id(p) == nil { throw ValidationError("\"\(p)\" is not a U-id such as U-17") }
        }

        func run() async throws {
            try await mapErrors {
                let ids = persons.compactMap(UnknownPerson.id)
                let moved = try UnknownRepository(connection: try db.locator().connect())
                    .merge(Array(ids.dropFirst()), into: ids[0], actor: AuditActor.current, reason: reason)
                print("merged \(persons.dropFirst().joined(separator: ", ")) into U-\(ids[0]) (\(moved) tracks moved)")
            }
        }
    }

    /// `facejob unknowns split U-17 --track J/I/T ...`.
    struct Split: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move some tracks of an unknown person into a new person (audited; later clustering keeps it).")
        @OptionGroup var db: JobDatabaseOptions
        @Argument(help: "The person to split.") var person: String
        @Option(help: "A track to move, JOB/INPUT/TRACK (see unknowns.csv); repeatable.") var track: [String] = []
        @Option(help: "Why (kept in the audit row).") var reason: String?

        func validate() throws {
            if UnknownPerson.id(person) == nil { throw ValidationError("\"\(person)\" is not a U-id such as U-17") }
            if track.isEmpty { throw ValidationError("name the tracks to move with --track JOB/INPUT/TRACK") }
            for t in track where UnknownTrack.key(t) == nil { throw ValidationError("\"\(t)\" is not JOB/INPUT/TRACK") }
        }

        func run() async throws {
            try await mapErrors {
                guard let id = UnknownPerson.id(person) else { return }
                let newID = try UnknownRepository(connection: try db.locator().connect())
                    .split(id, tracks: track, actor: AuditActor.current, reason: reason)
                print("moved \(track.count) track(s) of U-\(id) into new person U-\(newID)")
            }
        }
    }
}
