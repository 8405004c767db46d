import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob jobs list|status`: the jobs in the database and their inputs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs or show one job's status.",
        subcommands: [List.self, Status.self], defaultSubcommand: List.self)

    /// `facejob jobs list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var db: JobDatabaseOptions

        func run() async throws {
            try await mapErrors {
                let jobs = JobRepository(connection: try db.locator().connect())
                let all = try jobs.jobs()
                if all.isEmpty { print("no jobs") }
                for j in all {
                    print("\(j.id)\t\(j.name)\t\(j.status)\truns \(j.runs)\t\(j.manifestHash.prefix(12))\t\(j.reportDirectory)")
                }
            }
        }
    }

    /// `facejob jobs status JOB`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job and each input's status, checkpoint and counts.")
        @OptionGroup var db: JobDatabaseOptions
        @Argument(help: "Job id or name.") var job: String

        func run() async throws {
            try await mapErrors {
                let jobs = JobRepository(connection: try db.locator().connect())
                let j = try jobs.job(named: job)
                print("job \(j.id) \"\(j.name)\" \(j.status), runs \(j.runs), manifest \(j.manifestHash)")
                print("reports: \(j.reportDirectory)")
                var stopped = 0
                for i in try jobs.inputs(jobID: j.id) {
                    let checkpoint = i.checkpointMs.map { "\($0) ms" } ?? "-"
                    var line = "  [\(i.ordinal)] \(i.status)\t\(i.file.path)\tcheckpoint \(checkpoint)\t"
                        + "\(i.framesSampled) frames\t\(i.faces) faces\t\(i.hits) hits"
                    if let owner = i.leaseOwner {
                        if i.status == "running", WorkerIdentity.hasStopped(owner) == true {
                            line += "\tleased by \(owner), a process that has stopped"
                            stopped += 1
                        } else {
                            line += "\tleased by \(owner)"
                        }
                    }
                    if let error = i.error { line += "\terror: \(error)" }
                    print(line)
                }
                if stopped > 0 {
                    print("\(stopped) input(s) were left running by a process that was interrupted or killed; nothing "
                          + "committed is lost: run the job again (`facejob run MANIFEST`) or start `facejob worker` to "
                          + "resume from the checkpoints")
                }
            }
        }
    }
}
