import ArgumentParser
import Common
import FaceEngine
import Foundation
import Store
import Watchlist

/// `facejob register`: enroll face photos into a watchlist.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Enroll face photos of an identity into a watchlist.",
        discussion: """
        With --identity, every FILE (or image inside a FOLDER) is enrolled under that identity. \
        Without it, every argument must be a folder holding one subfolder per identity, named \
        after it. The largest face of each image is enrolled (a warning says when there are \
        several; --all-faces takes all). Images already enrolled for the model are skipped, so \
        re-running a registration changes nothing. Each file is reported as inserted, duplicate, \
        no face or unreadable; the exit status is 2 when some files could not be enrolled. \
        Photos are read upright (a JPEG's or WebP's EXIF orientation is applied); HEIC/HEIF \
        photos are reported unreadable: convert them to JPEG or PNG.
        """)

    @OptionGroup var db: WatchlistDatabaseOptions
    @Option(help: "The watchlist (created when missing).") var watchlist: String
    @Option(help: "The identity's display name.") var identity: String?
    @Option(help: "The identity's external id (case or warrant number).") var externalId: String?
    @Option(name: .customLong("meta"), help: ArgumentHelp("Metadata key=value (repeatable).", valueName: "k=v"))
    var metadata: [String] = []
    @Flag(help: "Enroll every face of an image, not only the largest.") var allFaces = false
    @Option(help: "Images per database transaction.") var batchSize = 64
    @Argument(help: "Image files or folders.") var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one image or folder") }
        for m in metadata where !m.contains("=") { throw ValidationError("--meta takes key=value, got \"\(m)\"") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() async throws {
        try await mapErrors {
            let meta = Dictionary(metadata.map { m -> (String, String) in
                let parts = m.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }, uniquingKeysWith: { $1 })
            let jobs = try EnrollmentPlan.expand(paths, identity: identity.map {
                IdentitySpec(name: $0, externalID: externalId, metadata: meta)
            })
            let repository = try db.repository()
            let enroller = try Enroller(repository: repository, watchlist: watchlist, analyzer: try FaceAnalyzer(), allFaces: allFaces)
            var counts: [String: Int] = [:]
            var done = 0
            for start in stride(from: 0, to: jobs.count, by: batchSize) {
                let batch = Array(jobs[start..<min(jobs.count, start + batchSize)])
                for report in try enroller.enroll(batch) {
                    if let warning = report.warning { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                    counts[report.status.label, default: 0] += 1
                    print("\(report.status.label)\t\(report.path)\t\(report.detail)")
                }
                done += batch.count
                FileHandle.standardError.write(Data("registered \(done)/\(jobs.count) files\n".utf8))
            }
            let summary = ["inserted", "duplicate", "no face", "unreadable"].map { "\(counts[$0, default: 0]) \($0)" }
            print("watchlist \(watchlist): " + summary.joined(separator: ", "))
            if counts["no face", default: 0] + counts["unreadable", default: 0] > 0 {
                throw RegistrationIncomplete(failed: counts["no face", default: 0] + counts["unreadable", default: 0])
            }
        }
    }
}

/// Some files could not be enrolled (the others were).
struct RegistrationIncomplete: UserFacingError {
    let failed: Int
    var description: String { "\(failed) file(s) could not be enrolled (see the lines marked \"no face\" or \"unreadable\")" }
    var exitStatus: ExitStatus { .partial }
}
