import FaceEngine
import Foundation
import Search

/// The answer of a watchlist search in DeepFace's `find` shape, as `POST /search` and
/// `facejob search --json` both print it: `results` holds one list of matches per probe face,
/// `faces` the probe faces (when they came from images), plus the method and models used.
public enum SearchResponse {
    /// The response object. `faces[i]` describes the probe of `results[i]`; `faceDetails` adds
    /// facejob's own fields to each face (the image it came from, say).
    public static func object(_ results: [QueryResult], watchlist: String, method: SearchMethod, probes: [AnalyzedFace],
                              faceDetails: [[String: Any]] = []) -> [String: Any] {
        var out: [String: Any] = ["results": results.map { $0.matches.map(row) }, "watchlist": watchlist,
                                  "search_method": method.rawValue, "model": "Dlib", "detector_backend": "mtcnn",
                                  "distance_metric": "euclidean"]
        if !probes.isEmpty {
            out["faces"] = probes.enumerated().map { i, face -> [String: Any] in
                var entry: [String: Any] = ["facial_area": face.facialArea, "face_confidence": face.faceConfidence]
                if i < faceDetails.count { entry.merge(faceDetails[i]) { _, extra in extra } }
                return entry
            }
        }
        return out
    }

    /// One match as DeepFace names its columns (`identity`, `distance`, `threshold`, `hash`,
    /// `source_x` …), with facejob's ids, similarity, rank and confidence beside them.
    public static func row(_ m: WatchlistMatch) -> [String: Any] {
        var row: [String: Any] = [
            "identity": m.identityName, "identity_id": m.identityID, "external_id": m.externalID ?? NSNull(),
            "face_id": m.faceID, "embedding_id": m.embeddingID, "distance": Double(m.distance),
            "threshold": Double(m.threshold), "similarity": Double(m.similarity), "rank": m.rank,
            "hash": m.imageSHA256, "img_name": m.sourcePath,
            "confidence": (Double(max(0, 1 - m.distance / max(m.threshold, .ulpOfOne))) * 10000).rounded() / 100,
        ]
        if let b = m.queryBox, b.count == 4 {
            row["source_x"] = Int(b[0].rounded()); row["source_y"] = Int(b[1].rounded())
            row["source_w"] = Int(b[2].rounded()); row["source_h"] = Int(b[3].rounded())
        }
        return row
    }
}
