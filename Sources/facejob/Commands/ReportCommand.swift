import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob report JOB`: regenerate a job's reports from the database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a job's reports (CSV, JSON, HTML) again from the database.",
        discussion: """
        The reports carry the analysts' decisions (`facejob review`). --only confirmed writes the \
        court copy: only the confirmed sightings and hits, with their thumbnails, into confirmed/ in \
        the report folder (or --out).
        """)

    @OptionGroup var db: JobDatabaseOptions
    @Argument(help: "Job id or name (the newest job of that name).") var job: String
    @Option(help: "Only hits and sightings with this review status: confirmed or rejected.") var only: ReviewDecision?
    @Option(help: "With --only: the folder (default: confirmed/ or rejected/ in the report folder).") var out: String?

    func validate() throws {
        if out != nil, only == nil { throw ValidationError("--out goes with --only (the reports themselves go to the job's folder)") }
    }

    func run() async throws {
        try await mapErrors {
            let jobs = JobRepository(connection: try db.locator().connect())
            let record = try jobs.job(named: job)
            let files = try only.map { try JobReports.write(jobID: record.id, jobs: jobs, only: $0,
                                                            to: out.map { URL(fileURLWithPath: $0) }) }
                ?? JobReports.write(jobID: record.id, jobs: jobs)
            for file in files { print(file.path) }
        }
    }
}
