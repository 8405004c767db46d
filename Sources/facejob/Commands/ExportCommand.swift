import ArgumentParser
import Common
import Foundation
import Jobs
import Store

/// `facejob export JOB --out case.tar`: the job's case archive with its own SHA256SUMS.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a finished job's case archive: manifest, reports, thumbnails, clips, enrolled photos, audit rows, SHA256SUMS.",
        discussion: """
        The archive (a plain tar) holds one folder: manifest.json, job.json, reports/ (the report \
        folder after writing the reports afresh, so they carry the newest review statuses), \
        enrolled/ (the enrolled photos of the identities hit, each checked against its SHA-256 from \
        enrolment), audit.jsonl (the audit rows about the job and those identities), export.json \
        and SHA256SUMS over every other file. `facejob verify-export` checks it. The export is an \
        audit row. Exit: 0 done, 64 unknown or unfinished job, or the target exists without --force.
        """)

    @OptionGroup var db: JobDatabaseOptions
    @Argument(help: "Job id or name (the newest job of that name).") var job: String
    @Option(help: "The archive to write, e.g. case-1142.tar.") var out: String
    @Flag(help: "Replace the archive if it exists.") var force = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() async throws {
        try await mapErrors {
            let summary = try CaseExport.export(job: job, to: URL(fileURLWithPath: out), force: force, actor: AuditActor.current,
                                                connection: try db.locator().connect())
            if json {
                try JSONOutput.print(summary)
                return
            }
            for w in summary.warnings { print("warning: \(w)") }
            print("\(summary.archive): \(summary.files) files, SHA-256 \(summary.sha256)")
        }
    }
}

/// `facejob verify-export case.tar`.
struct VerifyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export",
        abstract: "Check every file of a case archive against its SHA256SUMS and name what does not match.",
        discussion: "Exit: 0 every file matches, 1 a file changed, is missing or was added, 64 not a case archive.")

    @Argument(help: "The archive (`facejob export --out`).") var archive: String
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() async throws {
        try await mapErrors {
            let result: ExportVerification
            do {
                result = try ExportVerification.check(URL(fileURLWithPath: archive))
            } catch let error as TarError {
                throw ExportError.notAnExport("\(archive) (\(error))")
            }
            if json {
                try JSONOutput.print(result)
            } else {
                for f in result.changed { print("CHANGED  \(f)") }
                for f in result.missing { print("MISSING  \(f)") }
                for f in result.unlisted { print("ADDED    \(f)") }
                print(result.passed ? "\(archive): all \(result.matching) files match SHA256SUMS"
                                    : "\(archive): FAILED (\(result.changed.count) changed, \(result.missing.count) missing, "
                                        + "\(result.unlisted.count) added; \(result.matching) match)")
            }
            if !result.passed { throw ExitCode(1) }
        }
    }
}
