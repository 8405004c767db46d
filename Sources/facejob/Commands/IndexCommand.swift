import ArgumentParser
import Common
import Foundation
import Search
import Store
import Watchlist

/// `facejob index`: build (resumably) and inspect a watchlist's persisted ANN index.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the approximate nearest-neighbour index of a watchlist (resumable).",
        subcommands: [Build.self, Status.self])

    /// `facejob index build --watchlist W`.
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add embeddings newer than the last sealed segment, batch by batch; compact when needed.",
            discussion: """
            Each batch is sealed and committed on its own, so a build killed at any moment resumes \
            from its last batch when run again. Concurrent builds of one watchlist take turns.
            """)
        @OptionGroup var db: WatchlistDatabaseOptions
        @Option(help: "The watchlist.") var watchlist: String
        @Option(help: ArgumentHelp(
            "Index factory: a FAISS factory such as HNSW32,Flat or IVF1024,Flat, or facejob's own NativeIVF<lists> "
                + "(default: the existing index's, else HNSW32,Flat).")) var factory: String?
        @Option(help: "Embeddings per committed batch.") var batchSize = 16_384
        @Option(help: "Most vectors per segment.") var segmentCapacity = 262_144
        @Option(help: "Rebuild a segment once this fraction of it is removed.") var compactionThreshold = 0.2
        @Flag(help: "Drop the index and build it from scratch (needed to change --factory).") var rebuild = false
        @Flag(help: "Exit 75 instead of waiting when another build runs.") var noWait = false
        @Option(help: "FAISS threads (default: all cores).") var threads: Int?

        func run() async throws {
            try await mapErrors {
                let repository = try db.repository()
                let scope = try db.scope(repository, watchlist: watchlist)
                let request = IndexBuildRequest(factory: factory, batchSize: batchSize, segmentCapacity: segmentCapacity,
                                                compactionThreshold: compactionThreshold, rebuild: rebuild,
                                                noWait: noWait, threads: threads)
                let started = Date()
                let outcome = try WatchlistIndexBuilder(repository: repository, scope: scope).build(request) { segment in
                    FileHandle.standardError.write(Data(
                        "sealed segment \(segment.firstID)...\(segment.lastID) (\(segment.count) vectors, \(segment.factory))\n".utf8))
                }
                for line in outcome.compaction.unreadable { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
                let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                print("index of \(watchlist) (\(scope.model.key.name), \(outcome.factory)): added \(outcome.added) "
                      + "in \(outcome.batches) batch(es), \(outcome.segments) segment(s), "
                      + "compacted \(outcome.compaction.rebuilt.count) segment(s) dropping \(outcome.compaction.removedVectors) "
                      + "vector(s), \(seconds) s")
            }
        }
    }

    /// `facejob index status --watchlist W`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the index segments and the last build.")
        @OptionGroup var db: WatchlistDatabaseOptions
        @Option(help: "The watchlist.") var watchlist: String
        @Flag(help: "Print JSON (docs/watchlist.md).") var json = false

        func run() async throws {
            try await mapErrors {
                let repository = try db.repository()
                let scope = try db.scope(repository, watchlist: watchlist)
                if json {
                    try JSONOutput.print(try IndexStatusJSON(scope, repository: repository))
                    return
                }
                let state = try repository.state(of: scope)
                let build = try repository.buildState(scope)
                print("embeddings \(state.embeddingCount) (max id \(state.maxEmbeddingID)), tombstones \(state.tombstoneCount), "
                      + "generation \(state.generation), last build \(build.status ?? "never") (\(build.factory ?? "-"), "
                      + "\(build.batches) batches, \(build.added) added)")
                for s in try repository.segments(scope, withBytes: false) {
                    print("segment \(s.firstID)...\(s.lastID)\t\(s.count) vectors\t\(s.factory)\t"
                          + "\(s.byteCount) bytes\t\(s.excludedTombstones) compacted\t\(s.kind) \(s.kindVersion)")
                }
            }
        }
    }
}
