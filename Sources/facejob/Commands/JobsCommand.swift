import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob jobs list|status|purge`: the jobs in the database, their inputs, and retention.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs, show one job's status, or purge the faces jobs stored.",
        subcommands: [List.self, Status.self, Purge.self], defaultSubcommand: List.self)

    /// `facejob jobs list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var db: JobDatabaseOptions
        @Flag(help: "Print JSON (docs/jobs.md).") var json = false

        func run() async throws {
            try await mapErrors {
                let jobs = JobRepository(connection: try db.locator().connect())
                let all = try jobs.jobs()
                if json {
                    try JSONOutput.print(JobListJSON(jobs: all.map { JobJSON(job: $0) }))
                    return
                }
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
        @Flag(help: "Print JSON (docs/jobs.md).") var json = false

        func run() async throws {
            try await mapErrors {
                let jobs = JobRepository(connection: try db.locator().connect())
                let j = try jobs.job(named: job)
                if json {
                    try JSONOutput.print(JobJSON(job: j, inputs: try jobs.inputs(jobID: j.id).map(JobInputJSON.init)))
                    return
                }
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

    /// `facejob jobs purge`.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete jobs' stored faces, hits and sightings (by age or by id), with an audit row per job.",
            discussion: """
            Footage shows the public: what a job stored about faces nobody is looking for should not \
            be kept longer than the case needs. A purge deletes each job with its inputs, stored \
            faces (embeddings, boxes, tracks), hits and sightings, and the rescans that searched it, \
            in one transaction with one audit row per job (who, when, why, how many faces). From \
            then on no rescan, find or report sees them. The thumbnails those jobs and rescans \
            wrote (thumbs/ in their report folders) are deleted too unless --keep-files; the \
            report files themselves are the analyst's and stay. A running job is refused (exit 64).
            """)

        @OptionGroup var db: JobDatabaseOptions
        @Argument(help: "Jobs to purge: ids or names.") var jobs: [String] = []
        @Option(help: "Purge every job that finished longer ago than this: 90d, 12w, 36h.") var olderThan: String?
        @Option(help: "Why (kept in the audit row).") var reason: String?
        @Flag(help: "Keep the thumbnails in the report folders.") var keepFiles = false
        @Flag(help: "List what would be purged; delete nothing.") var dryRun = false

        func validate() throws {
            if jobs.isEmpty == (olderThan == nil) { throw ValidationError("name jobs to purge, or give --older-than, not both") }
            if let olderThan, Self.seconds(olderThan) == nil {
                throw ValidationError("--older-than \"\(olderThan)\" is not an age such as 90d, 12w or 36h")
            }
        }

        /// `90d`, `12w`, `36h` in seconds.
        static func seconds(_ text: String) -> Double? {
            guard let unit = text.last, let n = Double(text.dropLast()), n >= 0, n.isFinite else { return nil }
            switch unit {
            case "h": return n * 3600
            case "d": return n * 86_400
            case "w": return n * 7 * 86_400
            default: return nil
            }
        }

        func run() async throws {
            try await mapErrors {
                let repository = JobRepository(connection: try db.locator().connect())
                let chosen: [JobRecord]
                if let olderThan, let age = Self.seconds(olderThan) {
                    chosen = try repository.finishedJobs(before: Date(timeIntervalSinceNow: -age))
                } else {
                    chosen = try jobs.map { try repository.job(named: $0) }
                }
                if chosen.isEmpty { print("nothing to purge"); return }
                if dryRun {
                    for j in chosen { print("would purge job \(j.id) \"\(j.name)\" (\(j.status), reports \(j.reportDirectory))") }
                    return
                }
                let report = try repository.purge(jobIDs: chosen.map(\.id), actor: AuditActor.current, reason: reason)
                for j in report.jobs {
                    print("purged job \(j.id) \"\(j.name)\": \(j.detections) stored faces, \(j.hits) hits (audit row \(j.auditID))")
                }
                guard !keepFiles else { return }
                for folder in report.jobs.map(\.reportDirectory) + report.rescanDirectories {
                    let thumbs = URL(fileURLWithPath: folder).appendingPathComponent("thumbs")
                    guard FileManager.default.fileExists(atPath: thumbs.path) else { continue }
                    do {
                        try FileManager.default.removeItem(at: thumbs)
                        print("deleted \(thumbs.path)")
                    } catch {
                        FileHandle.standardError.write(Data("facejob: could not delete \(thumbs.path): \(error.localizedDescription)\n".utf8))
                    }
                }
            }
        }
    }
}
