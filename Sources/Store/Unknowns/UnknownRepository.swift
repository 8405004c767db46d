import Common
import Foundation
import Postgres

/// Unknown persons in PostgreSQL (`unknown_persons`, `unknown_tracks`): the unmatched tracks of
/// finished jobs, the persons they were placed in, and the analyst's merges, splits and
/// promotions, each with an audit row. Like its connection, used from one thread at a time.
public final class UnknownRepository: @unchecked Sendable {
    /// The connection every statement runs on.
    public let connection: PostgresConnection

    /// A repository over a migrated connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The advisory lock clustering holds: a second run waits for the first, so two runs never
    /// place the same track or number persons twice.
    static let clusteringLock: Int64 = 0x4641_4345_554E_4B4E  // "FACEUNKN"

    /// Runs `body` in a transaction holding the clustering lock (waiting for it if another run has it).
    public func whileClustering<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int8(Self.clusteringLock)])
            return try body()
        }
    }

    /// The tracks of `jobIDs`' finished inputs that no identity matched and no person holds yet,
    /// with at least `minFaces` faces, each represented by the mean of its `bestFaces` highest-scoring
    /// faces; in job, input, time and track order.
    public func unplacedTracks(jobIDs: [Int64], bestFaces: Int, minFaces: Int) throws -> [UnknownTrack] {
        let rows = try connection.execute("""
            WITH matched AS (
                SELECT DISTINCT d.job_id, d.input_ordinal, d.track_id
                FROM job_hits h
                JOIN job_detections d ON d.job_id = h.job_id AND d.input_ordinal = h.input_ordinal
                                     AND d.frame_index = h.frame_index AND d.detection_index = h.detection_index
                WHERE h.job_id = ANY($1)
            ), ranked AS (
                SELECT d.job_id, d.input_ordinal, d.track_id, d.frame_index, d.detection_index, d.score,
                       d.box_x, d.box_y, d.box_w, d.box_h, d.embedding, d.pts_us,
                       row_number() OVER w AS rn,
                       count(*) OVER t AS faces, min(d.pts_us) OVER t AS first_us, max(d.pts_us) OVER t AS last_us
                FROM job_detections d
                JOIN job_inputs i ON i.job_id = d.job_id AND i.ordinal = d.input_ordinal
                WHERE d.job_id = ANY($1) AND i.status IN ('done', 'partial')
                  AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.job_id = d.job_id AND m.input_ordinal = d.input_ordinal
                                                            AND m.track_id = d.track_id)
                  AND NOT EXISTS (SELECT 1 FROM unknown_tracks u WHERE u.job_id = d.job_id
                                     AND u.input_ordinal = d.input_ordinal AND u.track_id = d.track_id)
                WINDOW t AS (PARTITION BY d.job_id, d.input_ordinal, d.track_id),
                       w AS (PARTITION BY d.job_id, d.input_ordinal, d.track_id
                             ORDER BY d.score DESC, d.frame_index, d.detection_index)
            )
            SELECT job_id, input_ordinal, track_id, frame_index, detection_index, score, box_x, box_y, box_w, box_h,
                   embedding, faces, first_us, last_us, pts_us
            FROM ranked WHERE rn <= $2 AND faces >= $3
            ORDER BY job_id, input_ordinal, first_us, track_id, rn
            """, [.int8Array(jobIDs), .int8(Int64(max(1, bestFaces))), .int8(Int64(max(1, minFaces)))],
                                       resultFormat: .binary).rows
        var tracks: [UnknownTrack] = []
        var sums: [Double] = []
        var counted = 0
        func finish() {
            guard let last = tracks.indices.last, counted > 0 else { return }
            tracks[last].representative = sums.map { Float($0 / Double(counted)) }
        }
        for r in rows {
            let jobID: Int64 = try r.decode(0), ordinal: Int = try r.decode(1), trackID: Int64 = try r.decode(2)
            let embedding: [Float] = try r.decode(10)
            if let last = tracks.last, last.jobID == jobID, last.inputOrdinal == ordinal, last.trackID == trackID {
                guard embedding.count == sums.count else { continue }
                for k in embedding.indices { sums[k] += Double(embedding[k]) }
                counted += 1
                continue
            }
            finish()
            // The first row of a track is its best face.
            tracks.append(UnknownTrack(
                jobID: jobID, inputOrdinal: ordinal, trackID: trackID, representative: [], faces: try r.decode(11),
                firstMicroseconds: try r.decode(12), lastMicroseconds: try r.decode(13), bestFrame: try r.decode(3),
                bestMicroseconds: try r.decode(14), bestDetection: try r.decode(4), bestScore: try r.decode(5),
                bestBox: PixelBox(x: try r.decode(6), y: try r.decode(7), width: try r.decode(8), height: try r.decode(9))))
            sums = embedding.map(Double.init)
            counted = 1
        }
        finish()
        return tracks
    }

    /// Every placed track of persons (not merged away) of one embedding model, with its person.
    public func placedTracks(embedderSHA256: String) throws -> [(personID: Int64, track: UnknownTrack)] {
        try connection.execute("""
            SELECT \(Self.trackColumns), u.person_id FROM unknown_tracks u
            JOIN unknown_persons p ON p.id = u.person_id
            WHERE p.embedder_sha256 = $1 AND p.status <> 'merged'
            ORDER BY u.job_id, u.input_ordinal, u.first_us, u.track_id
            """, [.text(embedderSHA256)], resultFormat: .binary).rows.map { r in
            (try r.decode(14), try Self.track(r))
        }
    }

    /// `count` new persons of a model; their ids ascending.
    public func createPersons(count: Int, embedderSHA256: String) throws -> [Int64] {
        guard count > 0 else { return [] }
        return try connection.execute("""
            INSERT INTO unknown_persons (embedder_sha256) SELECT $1 FROM generate_series(1, $2) RETURNING id
            """, [.text(embedderSHA256), .int8(Int64(count))]).rows.map { try $0.decode(0, as: Int64.self) }.sorted()
    }

    /// Stores tracks in their persons.
    public func place(_ placements: [(personID: Int64, track: UnknownTrack)]) throws {
        guard !placements.isEmpty else { return }
        try connection.copyIn("""
            COPY unknown_tracks (job_id, input_ordinal, track_id, person_id, representative, faces, first_us, last_us,
                                 best_frame, best_us, best_detection, best_score, best_box, pinned)
            FROM STDIN (FORMAT binary)
            """) { writer in
            for (personID, t) in placements {
                try writer.append([.int8(t.jobID), .int4(Int32(t.inputOrdinal)), .int8(t.trackID), .int8(personID),
                                   .float4Array(t.representative), .int4(Int32(t.faces)), .int8(t.firstMicroseconds),
                                   .int8(t.lastMicroseconds), .int8(t.bestFrame), .int8(t.bestMicroseconds),
                                   .int4(Int32(t.bestDetection)),
                                   .float8(t.bestScore),
                                   .float4Array([Float(t.bestBox.x), Float(t.bestBox.y), Float(t.bestBox.width),
                                                 Float(t.bestBox.height)]),
                                   .bool(t.pinned)])
            }
        }
    }

    /// Persons that hold at least one track of `jobIDs` (every person when nil), with all their
    /// tracks; merged persons are left out.
    public func persons(inJobs jobIDs: [Int64]?) throws -> [UnknownPerson] {
        let filter = jobIDs == nil ? "" : """
            AND p.id IN (SELECT person_id FROM unknown_tracks WHERE job_id = ANY($1))
            """
        let rows = try connection.execute("""
            SELECT \(Self.trackColumns), p.id, p.status, p.merged_into, p.watchlist_name, p.identity_id, p.embedder_sha256
            FROM unknown_persons p JOIN unknown_tracks u ON u.person_id = p.id
            WHERE p.status <> 'merged' \(filter)
            ORDER BY p.id, u.job_id, u.input_ordinal, u.first_us, u.track_id
            """, jobIDs.map { [.int8Array($0)] } ?? [], resultFormat: .binary).rows
        var persons: [UnknownPerson] = []
        for r in rows {
            let id: Int64 = try r.decode(14)
            let track = try Self.track(r)
            if persons.last?.id == id {
                persons[persons.count - 1].tracks.append(track)
            } else {
                persons.append(UnknownPerson(id: id, status: try r.decode(15), mergedInto: try r.decode(16),
                                             watchlistName: try r.decode(17), identityID: try r.decode(18),
                                             embedderSHA256: try r.decode(19), tracks: [track]))
            }
        }
        return persons
    }

    /// One person with its tracks. Throws `noSuchPerson`, or `merged` naming the person it went into.
    public func person(_ id: Int64) throws -> UnknownPerson {
        let head = try connection.execute("""
            SELECT status, merged_into, watchlist_name, identity_id, embedder_sha256 FROM unknown_persons WHERE id = $1
            """, [.int8(id)]).rows
        guard let h = head.first else { throw UnknownStoreError.noSuchPerson(id) }
        let status: String = try h.decode(0)
        if status == "merged", let into: Int64 = try h.decode(1) { throw UnknownStoreError.merged(id, into: into) }
        let tracks = try connection.execute("""
            SELECT \(Self.trackColumns) FROM unknown_tracks u WHERE u.person_id = $1
            ORDER BY u.job_id, u.input_ordinal, u.first_us, u.track_id
            """, [.int8(id)], resultFormat: .binary).rows.map(Self.track)
        return UnknownPerson(id: id, status: status, mergedInto: nil, watchlistName: try h.decode(2),
                             identityID: try h.decode(3), embedderSHA256: try h.decode(4), tracks: tracks)
    }

    /// Moves every track of `others` into `target` and pins them all; the others become `merged`.
    /// One audit row. Returns the tracks moved.
    @discardableResult
    public func merge(_ others: [Int64], into target: Int64, actor: String, reason: String?) throws -> Int {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int8(Self.clusteringLock)])
            let into = try person(target)
            var moved = 0
            for other in others where other != target {
                let from = try person(other)
                guard from.embedderSHA256 == into.embedderSHA256 else { throw UnknownStoreError.differentModels(target, other) }
                moved += try connection.execute("UPDATE unknown_tracks SET person_id = $1, pinned = true WHERE person_id = $2",
                                                [.int8(target), .int8(other)]).affectedRows
                try connection.execute("UPDATE unknown_persons SET status = 'merged', merged_into = $1 WHERE id = $2",
                                       [.int8(target), .int8(other)])
            }
            try connection.execute("UPDATE unknown_tracks SET pinned = true WHERE person_id = $1", [.int8(target)])
            try AuditLog(connection: connection).append(
                actor: actor, action: "unknown.merge", subject: "unknowns/U-\(target)",
                details: ["into": "U-\(target)", "merged": others.filter { $0 != target }.map { "U-\($0)" },
                          "tracks_moved": moved, "reason": reason ?? ""])
            return moved
        }
    }

    /// Moves the named tracks of `personID` into a new person; both persons' tracks are pinned.
    /// One audit row. Returns the new person's id.
    public func split(_ personID: Int64, tracks references: [String], actor: String, reason: String?) throws -> Int64 {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int8(Self.clusteringLock)])
            let from = try person(personID)
            let held = Set(from.tracks.map(\.reference))
            for reference in references where !held.contains(reference) {
                throw UnknownStoreError.notItsTrack(person: personID, track: reference)
            }
            guard !references.isEmpty, Set(references).count < held.count else {
                throw UnknownStoreError.invalid("a split moves some of U-\(personID)'s \(held.count) tracks, not none or all")
            }
            guard let newID = try createPersons(count: 1, embedderSHA256: from.embedderSHA256).first else {
                throw UnknownStoreError.invalid("no person was created")
            }
            for reference in Set(references).sorted() {
                guard let key = UnknownTrack.key(reference) else { continue }
                try connection.execute("""
                    UPDATE unknown_tracks SET person_id = $1 WHERE job_id = $2 AND input_ordinal = $3 AND track_id = $4
                    """, [.int8(newID), .int8(key.jobID), .int4(Int32(key.inputOrdinal)), .int8(key.trackID)])
            }
            try connection.execute("UPDATE unknown_tracks SET pinned = true WHERE person_id = ANY($1)",
                                   [.int8Array([personID, newID])])
            try AuditLog(connection: connection).append(
                actor: actor, action: "unknown.split", subject: "unknowns/U-\(personID)",
                details: ["from": "U-\(personID)", "new": "U-\(newID)", "tracks": Set(references).sorted(),
                          "reason": reason ?? ""])
            return newID
        }
    }

    /// Records that a person was enrolled as `identityID` in `watchlist` (the enrolment wrote its
    /// own audit rows); one audit row for the promotion itself.
    public func markPromoted(_ personID: Int64, watchlist: String, identityID: Int64, identity: String, faceIDs: [Int64],
                             sources: [String], actor: String) throws {
        try connection.transaction {
            try connection.execute("""
                UPDATE unknown_persons SET status = 'promoted', watchlist_name = $2, identity_id = $3 WHERE id = $1
                """, [.int8(personID), .text(watchlist), .int8(identityID)])
            try AuditLog(connection: connection).append(
                actor: actor, action: "unknown.promote", subject: "unknowns/U-\(personID)",
                details: ["person": "U-\(personID)", "watchlist": watchlist, "identity": identity, "identity_id": identityID,
                          "face_ids": faceIDs, "sources": sources])
        }
    }

    /// The stored detections of one track, best first (score, then frame): for promotion.
    public func faces(of track: UnknownTrack, limit: Int) throws -> [DetectionRow] {
        try connection.execute("""
            SELECT \(FootageRepository.detectionColumns) FROM job_detections d
            WHERE d.job_id = $1 AND d.input_ordinal = $2 AND d.track_id = $3
            ORDER BY d.score DESC, d.frame_index, d.detection_index LIMIT $4
            """, [.int8(track.jobID), .int4(Int32(track.inputOrdinal)), .int8(track.trackID), .int8(Int64(limit))],
                                   resultFormat: .binary).rows.map { try FootageRepository.detection($0, from: 0) }
    }

    static let trackColumns = """
        u.job_id, u.input_ordinal, u.track_id, u.representative, u.faces, u.first_us, u.last_us, u.best_frame,
        u.best_detection, u.best_score, u.best_box, u.pinned, u.best_us, u.person_id
        """

    static func track(_ r: PostgresRow) throws -> UnknownTrack {
        let box: [Float] = try r.decode(10)
        guard box.count == 4 else { throw UnknownStoreError.invalid("a stored track's box has \(box.count) values") }
        return UnknownTrack(jobID: try r.decode(0), inputOrdinal: try r.decode(1), trackID: try r.decode(2),
                            representative: try r.decode(3), faces: try r.decode(4), firstMicroseconds: try r.decode(5),
                            lastMicroseconds: try r.decode(6), bestFrame: try r.decode(7), bestMicroseconds: try r.decode(12),
                            bestDetection: try r.decode(8),
                            bestScore: try r.decode(9),
                            bestBox: PixelBox(x: Double(box[0]), y: Double(box[1]), width: Double(box[2]), height: Double(box[3])),
                            pinned: try r.decode(11))
    }
}
