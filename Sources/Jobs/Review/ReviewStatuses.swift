import Foundation
import Reports
import Store

/// Puts analysts' decisions on a job's report rows. A sighting shows the newest decision about
/// it; a hit shows the newest decision about that single hit, else its sighting's. A decision is
/// shown only while the sighting (or hit) still has the identity, input and track it was made
/// about: a job run again may number its sightings differently, and an old decision must not land
/// on another face.
public enum ReviewStatuses {
    /// The bundle with review statuses filled in.
    static func apply(_ reviews: [ReviewTarget: Review], to bundle: ReportBundle) -> ReportBundle {
        guard !reviews.isEmpty else { return bundle }
        var out = bundle
        let ordinalOf = bundle.header.inputOrdinals
        var bySighting: [Int64: ReviewStatus] = [:]
        for i in out.sightings.indices {
            let s = out.sightings[i]
            guard let r = reviews[.sighting(s.sightingID)], r.identityID == s.identityID, r.trackID == s.trackID,
                  r.inputOrdinal == ordinalOf[s.inputPath] else { continue }
            out.sightings[i].review = status(r)
            bySighting[s.sightingID] = status(r)
        }
        for i in out.hits.indices {
            let h = out.hits[i]
            guard let ordinal = ordinalOf[h.inputPath] else { continue }
            if let r = reviews[.hit(inputOrdinal: ordinal, frameIndex: h.frameIndex, identityID: h.identityID)],
               r.trackID == h.trackID {
                out.hits[i].review = status(r)
            } else if let id = h.sightingID, let s = bySighting[id] {
                out.hits[i].review = s
            }
        }
        return out
    }

    /// Only the hits and sightings whose status is `decision` (the court copy: `--only confirmed`),
    /// said in the header's settings.
    static func only(_ decision: ReviewDecision, _ bundle: ReportBundle) -> ReportBundle {
        var out = bundle
        out.hits = bundle.hits.filter { $0.review?.decision == decision.rawValue }
        out.sightings = bundle.sightings.filter { $0.review?.decision == decision.rawValue }
        out.header.settings.append(ReportSetting(name: "report.only", value: decision.rawValue))
        return out
    }

    static func status(_ r: Review) -> ReviewStatus {
        let nanoseconds = Int64((r.decidedAt.timeIntervalSince1970 * 1_000_000).rounded()) * 1_000
        return ReviewStatus(decision: r.decision.rawValue, reviewer: r.reviewer,
                            decidedAt: RecordingStart(epochNanoseconds: nanoseconds, utcOffsetSeconds: 0).rfc3339,
                            reason: r.reason)
    }
}
