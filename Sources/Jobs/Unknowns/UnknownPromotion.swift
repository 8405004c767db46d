import Common
import Crypto
import FaceEngine
import Foundation
import Postgres
import Store

/// Enrols an unknown person into a watchlist: its best stored faces, spread over its tracks,
/// become the faces of a new (or existing) identity. Each enrolled face keeps where it came from:
/// its "image" is the stored detection (`footage:job/J/input/I/frame/F/detection/D`, with its box),
/// deduplicated by a hash of the footage's SHA-256, frame and detection. The enrolment writes its
/// audit rows, the promotion one more; a watchlist that does not exist is created, as `register` does.
public enum UnknownPromotion {
    /// What a promotion did.
    public struct Result: Encodable, Sendable, Equatable {
        /// `U-<id>`.
        public var person: String
        /// The watchlist.
        public var watchlist: String
        /// The identity's name and id.
        public var identity: String
        /// Its id.
        public var identityID: Int64
        /// New face ids (empty when every face was enrolled before).
        public var faceIDs: [Int64]
        /// Each face's source, `footage:job/J/input/I/frame/F/detection/D`.
        public var sources: [String]

        enum CodingKeys: String, CodingKey {
            case person, watchlist, identity, sources
            case identityID = "identity_id", faceIDs = "face_ids"
        }
    }

    /// Faces enrolled at most, unless asked otherwise.
    public static let defaultFaces = 5

    /// Promotes `label` (`U-17`) into `watchlist` as `identity`.
    public static func promote(_ label: String, watchlist: String, identity: String, externalID: String? = nil,
                               faces maxFaces: Int = defaultFaces, actor: String,
                               connection: PostgresConnection) throws -> Result {
        guard let id = UnknownPerson.id(label) else {
            throw UnknownStoreError.invalid("\"\(label)\" is not an unknown person's id (U-<number>)")
        }
        guard maxFaces >= 1 else { throw UnknownStoreError.invalid("--faces must be at least 1, got \(maxFaces)") }
        let unknowns = UnknownRepository(connection: connection)
        let jobs = JobRepository(connection: connection)
        let watchlists = WatchlistRepository(connection: connection)
        return try connection.transaction {
            let person = try unknowns.person(id)
            // Round robin over the tracks, best track first: the best face of each, then the second...
            let tracks = UnknownsReports.ranked(person.tracks)
            let perTrack = try tracks.map { try unknowns.faces(of: $0, limit: maxFaces) }
            var chosen: [(track: UnknownTrack, face: DetectionRow)] = []
            var round = 0
            while chosen.count < maxFaces, perTrack.contains(where: { $0.count > round }) {
                for (t, faces) in zip(tracks, perTrack) where faces.count > round && chosen.count < maxFaces {
                    chosen.append((t, faces[round]))
                }
                round += 1
            }
            guard !chosen.isEmpty else {
                throw UnknownStoreError.invalid("\(person.label) has no stored face left (its footage was purged)")
            }
            var inputs: [String: JobInputRecord] = [:]
            for jobID in Set(chosen.map(\.track.jobID)) {
                for input in try jobs.inputs(jobID: jobID) { inputs["\(jobID)/\(input.ordinal)"] = input }
            }
            let spec = IdentitySpec(name: identity, externalID: externalID, metadata: ["promoted_from": person.label])
            var sources: [String] = []
            let images = try chosen.map { track, face -> EnrollmentImage in
                guard let input = inputs["\(track.jobID)/\(track.inputOrdinal)"] else {
                    throw UnknownStoreError.invalid("job \(track.jobID) input \(track.inputOrdinal) is gone")
                }
                let source = "footage:job/\(track.jobID)/input/\(track.inputOrdinal)/frame/\(face.frameIndex)"
                    + "/detection/\(face.detectionIndex)"
                sources.append(source)
                let key = "facejob-footage:\(input.file.sha256):\(face.frameIndex):\(face.detectionIndex)"
                let hash = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
                return EnrollmentImage(
                    path: source, sha256: hash, width: input.frameWidth, height: input.frameHeight, identity: spec,
                    faces: [EnrollmentFace(box: [Float(face.box.x), Float(face.box.y), Float(face.box.width), Float(face.box.height)],
                                           landmarks: [], detectionScore: Float(face.score), embedding: face.embedding)])
            }
            let list = try watchlists.ensureWatchlist(named: watchlist, actor: actor)
            let model = try watchlists.model(for: EmbeddingModelKey(
                name: ModelCatalog.dlibResNet.model, weightsSHA256: person.embedderSHA256, dimension: chosen[0].face.embedding.count,
                metric: Metric.euclidean.rawValue))
            let outcomes = try watchlists.enroll(images, scope: WatchlistScope(watchlist: list, model: model), actor: actor)
            var identityID: Int64?
            var faceIDs: [Int64] = []
            for outcome in outcomes {
                switch outcome {
                case .inserted(let identity, let ids):
                    identityID = identityID ?? identity
                    faceIDs += ids
                case .duplicate(let identity, _):
                    identityID = identityID ?? identity
                }
            }
            guard let identityID else { throw UnknownStoreError.invalid("no face of \(person.label) was enrolled") }
            try unknowns.markPromoted(id, watchlist: list.name, identityID: identityID, identity: identity, faceIDs: faceIDs,
                                      sources: sources, actor: actor)
            return Result(person: person.label, watchlist: list.name, identity: identity, identityID: identityID,
                          faceIDs: faceIDs, sources: sources)
        }
    }
}
