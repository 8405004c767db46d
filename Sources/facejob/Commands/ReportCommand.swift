import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob report JOB`: regenerate a job's reports from the database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a job's reports (CSV, JSON, HTML) again from the database.")

    @OptionGroup var db: JobDatabaseOptions
    @Argument(help: "Job id or name (the newest job of that name).") var job: String

    func run() async throws {
        try await mapErrors {
            let jobs = JobRepository(connection: try db.locator().connect())
            let record = try jobs.job(named: job)
            for file in try JobReports.write(jobID: record.id, jobs: jobs) { print(file.path) }
        }
    }
}
