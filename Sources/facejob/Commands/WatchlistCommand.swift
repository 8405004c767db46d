import API
import ArgumentParser
import Common
import Foundation
import Search
import Store

/// `facejob watchlist`: list watchlists, show identities and faces, remove an identity or a face.
struct WatchlistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchlist",
        abstract: "List watchlists, show their identities and faces, remove an identity or a face, promote an unknown person.",
        subcommands: [List.self, Show.self, Remove.self, Promote.self])

    /// `facejob watchlist list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List watchlists with their live counts.")
        @OptionGroup var db: WatchlistDatabaseOptions
        @Flag(help: "Print JSON (docs/watchlist.md).") var json = false

        func run() async throws {
            try await mapErrors {
                let repository = try db.repository()
                let summaries = try repository.watchlistSummaries()
                if json {
                    try JSONOutput.print(WatchlistListJSON(watchlists: summaries.map(WatchlistListJSON.Entry.init)))
                    return
                }
                if summaries.isEmpty { print("no watchlists (create one with `facejob register --watchlist NAME …`)") }
                for s in summaries {
                    print("\(s.watchlist.name)\t\(s.identities) identities\t\(s.faces) faces")
                }
            }
        }
    }

    /// `facejob watchlist show --watchlist W [IDENTITY]` (or `show W [IDENTITY]`).
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a watchlist's identities and index, or one identity's faces.")
        @OptionGroup var db: WatchlistDatabaseOptions
        @Option(help: "The watchlist (may also be given as the first argument).") var watchlist: String?
        @Argument(help: ArgumentHelp("An identity (name or id): list its faces. Without --watchlist, the watchlist comes first.",
                                     valueName: "identity"))
        var names: [String] = []
        @Flag(help: "Print JSON: the identities and each model's index; with an identity, its faces (docs/watchlist.md).")
        var json = false

        func validate() throws { _ = try WatchlistArguments.split(option: watchlist, names, trailing: 1) }

        func run() async throws {
            try await mapErrors {
                let (watchlist, rest) = try WatchlistArguments.split(option: watchlist, names, trailing: 1)
                let identity = rest.first
                let repository = try db.repository()
                let w = try repository.watchlist(named: watchlist)
                if json {
                    try JSONOutput.print(try Self.document(of: w, identity: identity, repository: repository))
                    return
                }
                if let identity {
                    for f in try repository.faces(ofIdentity: identity, in: w) {
                        let box = f.box.map { String(Int($0.rounded())) }.joined(separator: ",")
                        print("face \(f.id)\tembedding \(f.embeddingID.map(String.init) ?? "-")\tbox \(box)\t"
                              + "score \(String(format: "%.3f", f.detectionScore))\t\(f.model)\t\(f.imageSHA256.prefix(12))\t\(f.sourcePath)")
                    }
                    return
                }
                for i in try repository.identities(in: w) {
                    print("\(i.id)\t\(i.name)\t\(i.externalID ?? "-")\t\(i.faces) faces\t\(i.metadata)")
                }
                for model in try repository.models(in: w) {
                    let scope = WatchlistScope(watchlist: w, model: model)
                    let state = try repository.state(of: scope)
                    let segments = try repository.segments(scope, withBytes: false)
                    let covered = segments.map(\.lastID).max() ?? 0
                    let bytes = segments.reduce(0) { $0 + $1.byteCount }
                    print("model \(model.key.name) (\(model.key.weightsSHA256.prefix(12))): \(state.embeddingCount) embeddings, "
                          + "\(state.tombstoneCount) tombstones, \(segments.count) index segments "
                          + "(\(bytes / 1024) KiB, \(segments.last?.requestedFactory ?? "no index")), "
                          + (state.maxEmbeddingID > covered ? "index behind (run `facejob index build`)" : "index up to date"))
                }
            }
        }

        /// The watchlist's identities and models, or one identity with its faces: the shapes of
        /// `GET /watchlists/{w}/identities[/{id}]`, the first with the models' index state added.
        static func document(of w: Watchlist, identity: String?, repository: WatchlistRepository) throws -> any Encodable {
            if let identity {
                var shown = IdentityResponse(try repository.identity(identity, in: w))
                shown.watchlist = w.name
                shown.faceRecords = try repository.faces(ofIdentity: identity, in: w).map(IdentityResponse.Face.init)
                return shown
            }
            return WatchlistShowJSON(watchlist: w.name, identities: try repository.identities(in: w).map(IdentityResponse.init),
                                     models: try repository.models(in: w).map {
                                         try IndexStatusJSON(WatchlistScope(watchlist: w, model: $0), repository: repository)
                                     })
        }
    }

    /// `facejob watchlist remove --watchlist W --identity X | --face ID` (or `remove W …`).
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an identity or a face; audited, and invisible to search at once.")
        @OptionGroup var db: WatchlistDatabaseOptions
        @Option(help: "The watchlist (may also be given as the only argument).") var watchlist: String?
        @Argument(help: ArgumentHelp("The watchlist, when --watchlist is not given.", valueName: "watchlist")) var names: [String] = []
        @Option(help: "Identity to remove (name or id).") var identity: String?
        @Option(help: "Face id to remove.") var face: Int64?
        @Option(help: "Why (recorded in the audit log).") var reason: String?

        func validate() throws {
            _ = try WatchlistArguments.split(option: watchlist, names, trailing: 0)
            guard (identity == nil) != (face == nil) else {
                throw ValidationError("give exactly one of --identity and --face")
            }
        }

        func run() async throws {
            try await mapErrors {
                let (watchlist, _) = try WatchlistArguments.split(option: watchlist, names, trailing: 0)
                let repository = try db.repository()
                let w = try repository.watchlist(named: watchlist)
                let report: RemovalReport
                if let identity {
                    report = try repository.removeIdentity(identity, from: w, actor: AuditActor.current, reason: reason)
                } else if let face {
                    report = try repository.removeFace(face, from: w, actor: AuditActor.current, reason: reason)
                } else {
                    return
                }
                print("removed \(report.faces) face(s), \(report.tombstones) embedding(s) tombstoned (audit \(report.auditID))")
            }
        }
    }
}

/// `--watchlist W`, or the watchlist as the first positional argument (the older form), ahead of
/// up to `trailing` other arguments.
enum WatchlistArguments {
    static func split(option: String?, _ names: [String], trailing: Int) throws -> (watchlist: String, rest: [String]) {
        if let option {
            guard names.count <= trailing else {
                throw ValidationError("unexpected argument \"\(names[trailing])\" (the watchlist is given by --watchlist)")
            }
            return (option, names)
        }
        guard let first = names.first else { throw ValidationError("name the watchlist with --watchlist") }
        guard names.count <= trailing + 1 else { throw ValidationError("unexpected argument \"\(names[trailing + 1])\"") }
        return (first, Array(names.dropFirst()))
    }
}

/// The database and model options shared by the watchlist commands.
struct WatchlistDatabaseOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Embedding model name (default: the watchlist's only model).")
    var model: String?

    /// A repository on a migrated connection.
    func repository() throws -> WatchlistRepository {
        WatchlistRepository(connection: try database.connect())
    }

    /// The scope of a watchlist: the model named by `--model`, else the one model it holds.
    func scope(_ repository: WatchlistRepository, watchlist name: String) throws -> WatchlistScope {
        let watchlist = try repository.watchlist(named: name)
        var models = try repository.models(in: watchlist)
        if let model { models = models.filter { $0.key.name == model } }
        guard let first = models.first else {
            throw WatchlistError.emptyScope(watchlist: name, model: model ?? "any model")
        }
        guard models.count == 1 else {
            throw WatchlistError.invalid("watchlist \"\(name)\" holds embeddings of several models ("
                + models.map { "\($0.key.name) \($0.key.weightsSHA256.prefix(12))" }.joined(separator: ", ")
                + "); choose one with --model")
        }
        return WatchlistScope(watchlist: watchlist, model: first)
    }
}
