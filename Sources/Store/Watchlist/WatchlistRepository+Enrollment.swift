import Foundation
import Postgres

extension WatchlistRepository {
    /// Enrolls a batch of images in one transaction: identities are found or created, images
    /// already enrolled for this model are reported as duplicates (the unique index on
    /// (watchlist, image SHA-256, model) decides, also against concurrent registrations), and
    /// the new faces and embeddings go in with binary COPY. One audit row per stored image.
    /// Outcomes are in the order of `images`. On any error nothing of the batch is stored.
    public func enroll(_ images: [EnrollmentImage], scope: WatchlistScope, actor: String) throws -> [EnrollmentOutcome] {
        guard !images.isEmpty else { return [] }
        for image in images { try validate(image, scope: scope) }
        return try connection.transaction {
            // Shared: registrations run side by side; a build reading a batch waits for them.
            try connection.execute("SELECT pg_advisory_xact_lock_shared($1)", [.int8(scope.embeddingLock.value)])
            var outcomes = [EnrollmentOutcome?](repeating: nil, count: images.count)
            let existing = try enrolledImages(scope, sha256s: images.map(\.sha256))
            var pending: [Int] = []
            var seen = Set<String>()
            for (i, image) in images.enumerated() {
                if let hit = existing[image.sha256] {
                    outcomes[i] = .duplicate(identityID: hit.identityID, identityName: hit.identityName)
                } else if seen.insert(image.sha256).inserted {
                    pending.append(i)
                }
            }
            var identityIDs: [IdentitySpec: Int64] = [:]
            for i in pending where identityIDs[images[i].identity] == nil {
                identityIDs[images[i].identity] = try resolveIdentity(images[i].identity, watchlist: scope.watchlist,
                                                                     actor: actor)
            }
            let imageIDs = try insertImages(pending.map { images[$0] }, identityIDs: identityIDs, scope: scope)
            var stored: [(image: Int, imageID: Int64)] = []
            for i in pending {
                if let id = imageIDs[images[i].sha256] { stored.append((i, id)) }
            }
            let faceCount = stored.reduce(0) { $0 + images[$1.image].faces.count }
            let faceIDs = try allocate("faces", count: faceCount)
            let embeddingIDs = try allocate("embeddings", count: faceCount)
            var next = 0
            var facesOf: [Int: [Int64]] = [:]
            try connection.copyIn("""
                COPY faces (id, watchlist_id, identity_id, image_id, model_id, box, landmarks, detection_score)
                FROM STDIN (FORMAT binary)
                """) { writer in
                for (i, imageID) in stored {
                    let image = images[i]
                    guard let identityID = identityIDs[image.identity] else { continue }
                    for face in image.faces {
                        try writer.append([.int8(faceIDs[next]), .int8(scope.watchlist.id), .int8(identityID),
                                           .int8(imageID), .int4(scope.model.id), .float4Array(face.box),
                                           .float4Array(face.landmarks), .float4(face.detectionScore)])
                        facesOf[i, default: []].append(faceIDs[next])
                        next += 1
                    }
                }
            }
            next = 0
            try connection.copyIn("""
                COPY embeddings (id, face_id, watchlist_id, model_id, vector) FROM STDIN (FORMAT binary)
                """) { writer in
                for (i, _) in stored {
                    for face in images[i].faces {
                        try writer.append([.int8(embeddingIDs[next]), .int8(faceIDs[next]), .int8(scope.watchlist.id),
                                           .int4(scope.model.id), PostgresValue.float4Bytes(face.embedding)])
                        next += 1
                    }
                }
            }
            if faceCount > 0 {
                try bumpState(scope, embeddings: faceCount, maxEmbeddingID: embeddingIDs.max() ?? 0)
            }
            var subjects: [String] = [], details: [String] = []
            for (i, imageID) in stored {
                let image = images[i]
                guard let identityID = identityIDs[image.identity] else { continue }
                let ids = facesOf[i] ?? []
                subjects.append("watchlist/\(scope.watchlist.name)/identity/\(identityID)")
                details.append(JSONText.encode(["image_sha256": image.sha256, "path": image.path, "image_id": imageID,
                                                "face_ids": ids, "identity": image.identity.name,
                                                "model": scope.model.key.name,
                                                "weights_sha256": scope.model.key.weightsSHA256]))
                outcomes[i] = .inserted(identityID: identityID, faceIDs: ids)
            }
            // One statement for the batch's audit rows: a round trip per image would dominate.
            if !subjects.isEmpty {
                try connection.execute("""
                    INSERT INTO audit_log (actor, action, subject, details)
                    SELECT $1, 'register', u.subject, u.details::jsonb FROM unnest($2::text[], $3::text[]) AS u(subject, details)
                    """, [.text(actor), .textArray(subjects), .textArray(details)])
            }
            // Images that lost a race to a concurrent registration, or repeat within the batch.
            let late = try enrolledImages(scope, sha256s: images.indices.filter { outcomes[$0] == nil }.map { images[$0].sha256 })
            return try images.indices.map { i in
                if let outcome = outcomes[i] { return outcome }
                guard let hit = late[images[i].sha256] else {
                    throw WatchlistError.invalid("image \(images[i].path) was neither stored nor found as a duplicate")
                }
                return .duplicate(identityID: hit.identityID, identityName: hit.identityName)
            }
        }
    }

    /// Live images of the scope among `sha256s`: SHA-256 → the identity's name. Registration asks
    /// this before running detection, so re-running a registration costs hashing only.
    public func enrolledIdentities(_ scope: WatchlistScope, sha256s: [String]) throws -> [String: String] {
        try enrolledImages(scope, sha256s: sha256s).mapValues(\.identityName)
    }

    private func validate(_ image: EnrollmentImage, scope: WatchlistScope) throws {
        guard Self.isSHA256(image.sha256) else {
            throw WatchlistError.invalid("image hash \"\(image.sha256)\" of \(image.path) is not 64 lowercase hex digits")
        }
        guard !image.identity.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw WatchlistError.invalid("an identity name must not be empty (\(image.path))")
        }
        guard !image.faces.isEmpty else { throw WatchlistError.invalid("\(image.path) has no face to enroll") }
        for face in image.faces {
            guard face.embedding.count == scope.model.key.dimension else {
                throw WatchlistError.embeddingDimension(expected: scope.model.key.dimension, got: face.embedding.count)
            }
            guard face.embedding.allSatisfy(\.isFinite) else {
                throw WatchlistError.invalid("an embedding of \(image.path) holds a non-finite value")
            }
            guard face.box.count == 4 else { throw WatchlistError.invalid("a face box needs 4 values (\(image.path))") }
        }
    }

    /// 64 lowercase hex digits.
    static func isSHA256(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Live enrolled images of the scope among `sha256s`, with their identity.
    private func enrolledImages(_ scope: WatchlistScope, sha256s: [String]) throws -> [String: (identityID: Int64, identityName: String)] {
        guard !sha256s.isEmpty else { return [:] }
        var out: [String: (Int64, String)] = [:]
        for row in try connection.execute("""
            SELECT e.image_sha256, i.id, i.name FROM enrolled_images e JOIN identities i ON i.id = e.identity_id
            WHERE e.watchlist_id = $1 AND e.model_id = $2 AND e.removed_at IS NULL AND e.image_sha256 = ANY($3)
            """, scope.parameters + [.textArray(sha256s)]).rows {
            out[try row.decode(0, as: String.self)] = (try row.decode(1, as: Int64.self), try row.decode(2, as: String.self))
        }
        return out
    }

    /// The live identity with the spec's name, created when missing; a given external id fills an
    /// empty one and must match a stored one; metadata is merged in.
    func resolveIdentity(_ spec: IdentitySpec, watchlist: Watchlist, actor: String) throws -> Int64 {
        let name = spec.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let metadata = JSONText.encode(spec.metadata)
        let inserted = try connection.execute("""
            INSERT INTO identities (watchlist_id, name, external_id, metadata) VALUES ($1, $2, $3, $4)
            ON CONFLICT (watchlist_id, name) WHERE removed_at IS NULL DO NOTHING RETURNING id
            """, [.int8(watchlist.id), .text(name), PostgresValue(spec.externalID), .jsonb(metadata)])
        if inserted.rowCount == 1 {
            let id = try inserted[0].decode(0, as: Int64.self)
            try audit(actor: actor, action: "identity.create", subject: "watchlist/\(watchlist.name)/identity/\(id)",
                      details: ["name": name, "external_id": JSONText.optional(spec.externalID), "metadata": spec.metadata])
            return id
        }
        let row = try connection.execute("""
            SELECT id, external_id FROM identities WHERE watchlist_id = $1 AND name = $2 AND removed_at IS NULL
            """, [.int8(watchlist.id), .text(name)])[0]
        let id = try row.decode(0, as: Int64.self)
        let stored = try row.decode(1, as: String?.self)
        if let given = spec.externalID, let stored, stored != given {
            throw WatchlistError.externalIDConflict(identity: name, stored: stored, given: given)
        }
        let update = try connection.execute("""
            UPDATE identities SET external_id = coalesce(external_id, $2), metadata = metadata || $3
            WHERE id = $1 AND (external_id IS DISTINCT FROM coalesce(external_id, $2) OR NOT metadata @> $3)
            """, [.int8(id), PostgresValue(spec.externalID), .jsonb(metadata)])
        if update.affectedRows > 0 {
            try audit(actor: actor, action: "identity.update", subject: "watchlist/\(watchlist.name)/identity/\(id)",
                      details: ["external_id": JSONText.optional(spec.externalID), "metadata": spec.metadata])
        }
        return id
    }

    /// Inserts image rows, skipping those the unique index already holds; returns sha → new id.
    private func insertImages(_ images: [EnrollmentImage], identityIDs: [IdentitySpec: Int64],
                              scope: WatchlistScope) throws -> [String: Int64] {
        guard !images.isEmpty else { return [:] }
        let result = try connection.execute("""
            INSERT INTO enrolled_images (watchlist_id, model_id, identity_id, image_sha256, source_path, width, height)
            SELECT $1, $2, u.identity_id, u.sha, u.path, u.width, u.height
            FROM unnest($3::bigint[], $4::text[], $5::text[], $6::int[], $7::int[]) AS u(identity_id, sha, path, width, height)
            ON CONFLICT (watchlist_id, image_sha256, model_id) WHERE removed_at IS NULL DO NOTHING
            RETURNING image_sha256, id
            """, scope.parameters + [
                .int8Array(images.map { identityIDs[$0.identity] ?? 0 }), .textArray(images.map(\.sha256)),
                .textArray(images.map(\.path)), .int4Array(images.map { Int32(clamping: $0.width) }),
                .int4Array(images.map { Int32(clamping: $0.height) }),
            ])
        var out: [String: Int64] = [:]
        for row in result.rows { out[try row.decode(0, as: String.self)] = try row.decode(1, as: Int64.self) }
        return out
    }

    /// `count` fresh ids of a table's bigserial, ascending.
    private func allocate(_ table: String, count: Int) throws -> [Int64] {
        guard count > 0 else { return [] }
        return try connection.execute("""
            SELECT nextval(pg_get_serial_sequence('\(table)', 'id')) FROM generate_series(1, $1)
            """, [.int8(Int64(count))]).rows.map { try $0.decode(0, as: Int64.self) }.sorted()
    }
}
