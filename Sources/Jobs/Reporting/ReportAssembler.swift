import Reports

/// Turns the hit rows of a job (as stored) into a complete report bundle: sightings are built from
/// the hits, every hit gets its sighting id, every sighting its best thumbnail. `facejob run` and
/// `facejob report JOB` both go through this, so a regenerated report equals the original.
public enum ReportAssembler {
    /// The bundle for `header` and `hits` (any order; incoming sighting ids are replaced).
    public static func assemble(header: ReportHeader, hits: [HitRecord], enrolledPhotos: [Int64: EnrolledPhoto] = [:]) -> ReportBundle {
        var inputIndex: [String: Int] = [:]
        for (n, input) in header.inputs.enumerated() where inputIndex[input.path] == nil { inputIndex[input.path] = n }
        // Inputs missing from the header (should not happen) sort after the known ones, by path.
        let strays = Set(hits.map(\.inputPath)).filter { inputIndex[$0] == nil }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (n, path) in strays.enumerated() { inputIndex[path] = header.inputs.count + n }

        let tracked = hits.map {
            TrackedHit(inputIndex: inputIndex[$0.inputPath] ?? Int.max, trackID: $0.trackID, identityID: $0.identityID,
                       frameIndex: $0.frameIndex, ptsMicroseconds: $0.ptsMicroseconds, distance: $0.distance)
        }
        let sightings = SightingBuilder.build(tracked)
        struct Key: Hashable { var input: Int; var track: Int64; var identity: Int64 }
        var idOf: [Key: Int64] = [:]
        for s in sightings { idOf[Key(input: s.inputIndex, track: s.trackID, identity: s.identityID)] = s.id }

        let byID = Dictionary(uniqueKeysWithValues: sightings.map { ($0.id, $0) })
        var out = hits
        var example: [Int64: HitRecord] = [:]
        for n in out.indices {
            let key = Key(input: inputIndex[out[n].inputPath] ?? Int.max, track: out[n].trackID, identity: out[n].identityID)
            out[n].sightingID = idOf[key]
            guard let id = idOf[key] else { continue }
            // The sighting's best hit supplies its thumbnail; the first hit in row order breaks ties.
            if let s = byID[id], out[n].frameIndex == s.best.frameIndex,
               out[n].ptsMicroseconds == s.best.ptsMicroseconds, example[id] == nil {
                example[id] = out[n]
            }
        }
        let records = sightings.map { s -> SightingRecord in
            let best = example[s.id]
            return s.record(inputPath: best?.inputPath ?? "", inputSHA256: best?.inputSHA256 ?? "", camera: best?.camera,
                            recordedAt: best?.recordedAt, identityName: best?.identityName ?? "", externalID: best?.externalID,
                            bestThumbnailPath: best?.thumbnailPath)
        }
        return ReportBundle(header: header, hits: out, sightings: records, enrolledPhotos: enrolledPhotos)
    }
}
