import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob review JOB`: confirm or reject sightings or single hits, or list the review state.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Confirm or reject a job's sightings or single hits (audited); without a decision, list them.",
        discussion: """
        `facejob review JOB --sighting 4 --confirm --reason "matches the warrant photo"` records a \
        decision; --hit INPUT/FRAME/IDENTITY (columns of hits.csv) decides about one hit. Who \
        decided is --reviewer, else $USER. Every decision is an audit row; decisions are never \
        deleted: a new one supersedes the old, and the history stays. A hit's status is its own \
        newest decision, else its sighting's. Reports written afterwards (`facejob report JOB`) \
        show the status; `facejob report JOB --only confirmed` writes the court copy. Without \
        --confirm or --reject, lists the job's sightings with their status and the decisions made. \
        Exit: 0 done, 64 unknown job, sighting or hit.
        """)

    @OptionGroup var db: JobDatabaseOptions
    @Argument(help: "Job id or name (the newest job of that name).") var job: String
    @Option(help: "A sighting id (sightings.csv); repeatable.") var sighting: [Int64] = []
    @Option(help: "A single hit, INPUT/FRAME/IDENTITY (hits.csv: input's position, frame_index, identity_id); repeatable.")
    var hit: [String] = []
    @Flag(help: "The hit shows the identity.") var confirm = false
    @Flag(help: "It does not.") var reject = false
    @Option(help: "Why (kept with the decision and in the audit row).") var reason: String?
    @Option(help: "Who decides (default: $USER).") var reviewer: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if confirm && reject { throw ValidationError("--confirm or --reject, not both") }
        let deciding = confirm || reject
        if deciding, sighting.isEmpty, hit.isEmpty { throw ValidationError("name what you decide about: --sighting ID or --hit I/F/ID") }
        if !deciding, !sighting.isEmpty || !hit.isEmpty { throw ValidationError("say --confirm or --reject") }
        for h in hit where ReviewTarget.hit(h) == nil { throw ValidationError("--hit \"\(h)\" is not INPUT/FRAME/IDENTITY") }
    }

    func run() async throws {
        try await mapErrors {
            let connection = try db.locator().connect()
            let record = try JobRepository(connection: connection).job(named: job)
            let reviews = ReviewRepository(connection: connection)
            if confirm || reject {
                let who = reviewer ?? ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
                let targets = sighting.map { ReviewTarget.sighting($0) } + hit.compactMap(ReviewTarget.hit)
                let decided = try connection.transaction {
                    try targets.map { try reviews.decide(jobID: record.id, target: $0, decision: confirm ? .confirmed : .rejected,
                                                         reason: reason, reviewer: who) }
                }
                for r in decided { print("job \(record.id) \(r.target): \(r.decision.rawValue) by \(r.reviewer) (audit row \(r.auditID))") }
                print("`facejob report \(record.id)` writes the reports with it; --only confirmed writes the court copy")
                return
            }
            let listing = try ReviewListing.read(jobID: record.id, connection: connection)
            if json {
                try JSONOutput.print(listing)
                return
            }
            if listing.sightings.isEmpty { print("job \(record.id) has no sightings") }
            for s in listing.sightings {
                print("sighting \(s.sightingID)\t\(s.identity)\tinput \(s.inputOrdinal) track \(s.trackID)\t\(s.hits) hits\t"
                      + (s.review.map { "\($0.decision) by \($0.reviewer)" + ($0.reason.map { ": \($0)" } ?? "") } ?? "unreviewed"))
            }
            for d in listing.decisions where d.target.hasPrefix("hit/") {
                print("\(d.target)\t\(d.decision) by \(d.reviewer)" + (d.reason.map { ": \($0)" } ?? ""))
            }
        }
    }
}

extension ReviewDecision: ExpressibleByArgument {}
