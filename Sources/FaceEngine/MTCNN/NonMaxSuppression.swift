/// Non-maximum suppression as the `mtcnn` 1.0.0 package performs it (`smart_nms_from_bboxes`).
///
/// Unlike the textbook greedy loop, the package keeps box `j` (in descending score order) exactly
/// when no higher-ranked box `i < j`, kept or not, overlaps it by more than the threshold. Boxes are
/// measured without the `+1` pixel convention, and an overlap that is not a number (empty boxes)
/// never suppresses.
public enum NonMaxSuppression {
    /// How the overlap of two boxes is normalised.
    public enum Method: Sendable {
        /// Intersection over union.
        case union
        /// Intersection over the smaller box's area.
        case minimum
    }

    /// The overlap of boxes given as (x1, y1, x2, y2), computed in the package's order of operations.
    @inline(__always)
    public static func overlap(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double),
                               method: Method) -> Double {
        let areaA = (a.2 - a.0) * (a.3 - a.1)
        let areaB = (b.2 - b.0) * (b.3 - b.1)
        let ih = max(0, min(a.2, b.2) - max(a.0, b.0))
        let iw = max(0, min(a.3, b.3) - max(a.1, b.1))
        let inter = ih * iw
        switch method {
        case .union: return inter / (areaA + areaB - inter)
        case .minimum: return inter / min(areaA, areaB)
        }
    }

    /// Indices (ascending) of the boxes kept, for boxes already sorted by descending score.
    public static func keep(_ boxes: [(Double, Double, Double, Double)], threshold: Double, method: Method) -> [Int] {
        var kept = [Int]()
        kept.reserveCapacity(boxes.count)
        for j in boxes.indices {
            var suppressed = false
            for i in 0..<j where overlap(boxes[i], boxes[j], method: method) > threshold {
                suppressed = true
                break
            }
            if !suppressed { kept.append(j) }
        }
        return kept
    }

    /// A permutation ordering `scores` from highest to lowest. Equal scores come out in reverse
    /// input order, as numpy's ascending `argsort` reversed by the package does for small arrays.
    public static func descendingOrder(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a > b
        }
    }

    static func corners(_ c: MTCNNCandidate) -> (Double, Double, Double, Double) { (c.x1, c.y1, c.x2, c.y2) }
}
