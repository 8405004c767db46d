import Foundation
import Store
import Watchlist

/// A rescan's search of one stored input: its faces page by page (whole frames), each page in one
/// watchlist search, each frame's hits chosen as a run chooses them (`HitSelection`), committed
/// with the checkpoint of the page's last frame.
struct RescanSearch {
    let rescans: RescanRepository
    let footage: FootageRepository
    let watchlists: WatchlistRepository
    let scope: WatchlistScope
    /// Faces per page (one search call, one transaction).
    var pageSize = 4096

    /// Searches the input from its checkpoint on; returns the hits committed by this call.
    @discardableResult
    func run(rescanID: Int64, input: RescanInputRecord, request: WatchlistSearchRequest) throws -> Int {
        var checkpoint = input.checkpointFrame
        var committed = 0
        while true {
            let started = Date()
            let rows = try footage.frames(jobID: input.jobID, inputOrdinal: input.inputOrdinal, afterFrame: checkpoint,
                                          limit: pageSize)
            guard let last = rows.last?.frameIndex else { break }
            let answers = try WatchlistSearcher.shared.search(rows.map { QueryFace(embedding: $0.embedding) }, scope: scope,
                                                              request: request, in: watchlists)
            var hits: [RescanHitRow] = []
            var start = 0
            while start < rows.count {
                var end = start
                while end < rows.count, rows[end].frameIndex == rows[start].frameIndex { end += 1 }
                // Detection indices of a stored frame run 0..<n in order, as the frame's faces did.
                for (h, m) in HitSelection.hits(answers: Array(answers[start..<end])) {
                    let d = rows[start + h.detectionIndex]
                    hits.append(RescanHitRow(jobID: input.jobID, inputOrdinal: input.inputOrdinal, hit: HitRow(
                        frameIndex: d.frameIndex, detectionIndex: d.detectionIndex, identityID: h.identityID,
                        identityName: m.identityName, externalID: m.externalID, faceID: m.faceID, distance: h.distance,
                        similarity: Double(m.similarity), rank: h.rank, threshold: Double(m.threshold), thumbnail: nil)))
                }
                start = end
            }
            guard try rescans.commit(rescanID: rescanID, ordinal: input.ordinal, hits: hits, checkpointFrame: last,
                                     faces: rows.count, seconds: Date().timeIntervalSince(started)) else {
                throw RescanError.busy("R\(rescanID)")
            }
            committed += hits.count
            checkpoint = last
        }
        try rescans.markSearched(rescanID: rescanID, ordinal: input.ordinal)
        return committed
    }
}
