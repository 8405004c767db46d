import ArgumentParser
import Common
import Foundation
import Jobs
import Reports
import Store

/// `facejob rescan`: search the stored faces of finished jobs against a watchlist as it is now.
struct RescanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescan",
        abstract: "Search the faces finished jobs stored against a watchlist as it is now, without decoding the footage.",
        discussion: """
        Enrolled someone after the footage was processed? A rescan searches every face the named \
        jobs stored (or, with --all, every finished job's, filtered by --camera, --from and --to) \
        against the watchlist and writes the usual reports (hits.csv, sightings.csv, hits.json, \
        report.html) into a new folder, rescan-<id> beside the newest job's reports unless --out \
        names one. Each job's own search settings apply (method, k, threshold) unless --threshold \
        is given. Sightings come from the stored tracks. Only the frames of hits are decoded, for \
        thumbnails, after each file's SHA-256 is checked against the job's record: a changed or \
        missing file keeps its hits, gets no thumbnails and a warning (exit 2).

        A rescan is a job of its own: the same inputs against the same watchlist state is the same \
        rescan (asking again lists its reports; --force runs it again), and an interrupted one \
        resumes where it stopped. Exit: 0 done, 2 partial (footage changed or missing), 64 unknown \
        job or watchlist, a job not finished, nothing to rescan; 75 the rescan is running elsewhere.
        """)

    @OptionGroup var db: JobDatabaseOptions
    @Argument(help: "Jobs to rescan: ids or names (the newest job of that name).") var jobs: [String] = []
    @Option(help: "The watchlist to search, as it is now.") var watchlist: String
    @Flag(help: "Every finished job (narrowed by --camera, --from, --to).") var all = false
    @Option(help: "Only inputs of this camera.") var camera: String?
    @Option(help: "Only inputs recorded at or after this time (RFC 3339, e.g. 2026-03-01T00:00:00Z).") var from: String?
    @Option(help: "Only inputs recorded at or before this time (RFC 3339).") var to: String?
    @Option(help: "Largest distance that counts as a match, for every job (default: each job's own).") var threshold: Double?
    @Option(help: "Report folder (default: rescan-<id> beside the newest job's reports).") var out: String?
    @Flag(help: "Do not cut thumbnails (then nothing at all is decoded).") var noThumbnails = false
    @Flag(help: "Run the rescan again from scratch although it finished.") var force = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    func validate() throws {
        if all == !jobs.isEmpty { throw ValidationError("name the jobs to rescan, or give --all, not both") }
        if !all, camera != nil || from != nil || to != nil {
            throw ValidationError("--camera, --from and --to narrow --all; with named jobs every finished input is rescanned")
        }
        _ = try Self.time(from, "--from")
        _ = try Self.time(to, "--to")
    }

    static func time(_ text: String?, _ option: String) throws -> Date? {
        guard let text else { return nil }
        guard let start = RecordingStart(rfc3339: text) else {
            throw ValidationError("\(option) \"\(text)\" is not an RFC 3339 time such as 2026-03-01T08:00:00Z")
        }
        return Date(timeIntervalSince1970: Double(start.epochNanoseconds) / 1e9)
    }

    func run() async throws {
        try await mapErrors {
            let locator = db.locator()
            let request = RescanRequest(jobs: jobs, all: all, camera: camera, from: try Self.time(from, "--from"),
                                        to: try Self.time(to, "--to"), watchlist: watchlist, reportDirectory: out,
                                        threshold: threshold, thumbnails: !noThumbnails, force: force)
            let result = try RescanRunner(connect: { try locator.connect() }).run(request, progress: json ? nil : { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            })
            if json {
                try JSONOutput.print(RescanSummary(result))
            } else {
                let r = result.rescan
                if result.alreadyFinished {
                    print("rescan R\(r.id) already finished (\(r.status)) against this watchlist state; nothing to do "
                          + "(--force runs it again)")
                } else {
                    print("rescan R\(r.id) of job(s) \(r.jobIDs.map(String.init).joined(separator: ", ")) against "
                          + "\"\(r.watchlistName)\": \(r.status)")
                }
                for s in r.skipped { print("not rescanned: \(s)") }
                for i in result.inputs where i.warning != nil { print("warning: \(i.warning ?? "")") }
                print("\(result.inputs.count) inputs, \(result.faces) stored faces searched, \(result.hits) hits, "
                      + "\(result.framesDecoded) frames decoded (thumbnails); reports:")
                for file in result.reportFiles { print(file.path) }
            }
            if result.exitStatus != .success { throw ExitCode(result.exitStatus.rawValue) }
        }
    }
}
