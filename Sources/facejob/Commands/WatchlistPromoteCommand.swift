import ArgumentParser
import Foundation
import Jobs
import Store

extension WatchlistCommand {
    /// `facejob watchlist promote U-17 --watchlist W --identity NAME`.
    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol an unknown person (U-id) into a watchlist from its stored faces.",
            discussion: """
            Enrols the person's best stored faces, up to --faces, spread over its tracks, under the \
            identity (created if new; the watchlist too, as register does). Each face keeps its \
            source (job, input, frame, box) as evidence, in the enrolment's audit row and as the \
            image's path (footage:job/J/input/I/frame/F/detection/D). The promotion leaves an audit \
            row of its own. A later run or rescan then finds the person everywhere. \
            Exit: 0 done, 64 unknown or merged U-id.
            """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The unknown person, e.g. U-17.") var person: String
        @Option(help: "The watchlist to enrol into (created if it does not exist).") var watchlist: String
        @Option(help: "The identity's name.") var identity: String
        @Option(help: "An external reference for the identity (a case or warrant number).") var externalID: String?
        @Option(help: "Faces to enrol at most.") var faces = UnknownPromotion.defaultFaces
        @Flag(help: "Print the outcome as JSON.") var json = false

        func validate() throws {
            if UnknownPerson.id(person) == nil { throw ValidationError("\"\(person)\" is not a U-id such as U-17") }
            if identity.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--identity must not be empty") }
            if faces < 1 { throw ValidationError("--faces must be at least 1") }
        }

        func run() async throws {
            try await mapErrors {
                let result = try UnknownPromotion.promote(person, watchlist: watchlist, identity: identity, externalID: externalID,
                                                          faces: faces, actor: AuditActor.current,
                                                          connection: try database.connect())
                if json {
                    try JSONOutput.print(result)
                } else {
                    print("\(result.person) enrolled in \"\(result.watchlist)\" as \"\(result.identity)\" "
                          + "(identity \(result.identityID)): \(result.faceIDs.count) new face(s) from")
                    for s in result.sources { print("  \(s)") }
                }
            }
        }
    }
}
