/// A face candidate between the MTCNN stages: corners in detection-image pixels (double precision,
/// as the package's numpy arrays) and the latest stage's face probability.
struct MTCNNCandidate: Equatable {
    var x1: Double
    var y1: Double
    var x2: Double
    var y2: Double
    var score: Double

    /// The candidate grown to a square around its centre (the package's `resize_to_square`).
    func squared() -> MTCNNCandidate {
        let w = x2 - x1
        let h = y2 - y1
        let side = max(w, h)
        let nx1 = x1 + w * 0.5 - side * 0.5
        let ny1 = y1 + h * 0.5 - side * 0.5
        return MTCNNCandidate(x1: nx1, y1: ny1, x2: nx1 + side, y2: ny1 + side, score: score)
    }

    /// The candidate moved by a network's box regression (the package's `adjust_bboxes`). The
    /// offsets arrive as float32 and TensorFlow multiplies them by the box size in float32 before
    /// numpy adds the products in double; the same roundings happen here.
    func regressed(_ dx1: Float, _ dy1: Float, _ dx2: Float, _ dy2: Float) -> MTCNNCandidate {
        let w = Float(x2 - x1 + 1)
        let h = Float(y2 - y1 + 1)
        return MTCNNCandidate(x1: x1 + Double(dx1 * w), y1: y1 + Double(dy1 * h),
                              x2: x2 + Double(dx2 * w), y2: y2 + Double(dy2 * h), score: score)
    }

    /// Whether all four corners are finite numbers (TensorFlow rejects other boxes outright).
    var isFinite: Bool { x1.isFinite && y1.isFinite && x2.isFinite && y2.isFinite }
}
