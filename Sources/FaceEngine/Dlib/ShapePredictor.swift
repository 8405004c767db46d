import Common

/// dlib's 5-point face landmark predictor (`shape_predictor_5_face_landmarks.dat`): a cascade of
/// regression-tree forests (Kazemi & Sullivan) run on pixel intensities sampled relative to the
/// current shape estimate inside a face box. Reproduces dlib's arithmetic: float shape updates,
/// `(r + g + b) / 3` integer intensities, dlib's point rounding. Immutable and shareable.
public struct ShapePredictor: Sendable {
    /// Number of landmarks (5 for this model, in dlib's part order).
    public let parts: Int
    let cascades: Int, trees: Int, splits: Int, leaves: Int, pixels: Int
    let initialShape: [Float]
    let splitIndex1: [Int32], splitIndex2: [Int32]
    let thresholds: [Float]
    let leafValues: [Float]
    let anchors: [Int32]
    let deltas: [Float]

    /// Loads the converted predictor (`dlib_shape_predictor_5.fjm`).
    public init(model: ModelFile) throws {
        func meta(_ key: String) throws -> Int {
            guard let v = model.meta[key]?.number, v >= 1, v == v.rounded() else {
                throw ModelFileError.badHeader(model.path, "meta.\(key) missing or invalid")
            }
            return Int(v)
        }
        parts = try meta("parts")
        cascades = try meta("cascades")
        trees = try meta("trees")
        splits = try meta("splits")
        leaves = try meta("leaves")
        pixels = try meta("feature_pixels")
        guard leaves == splits + 1 else { throw ModelFileError.badHeader(model.path, "trees are not complete") }
        initialShape = try model.tensor("initial_shape", shape: [parts * 2])
        let i1 = try model.tensor("split_index1", shape: [cascades, trees, splits])
        let i2 = try model.tensor("split_index2", shape: [cascades, trees, splits])
        thresholds = try model.tensor("split_threshold", shape: [cascades, trees, splits])
        leafValues = try model.tensor("leaf_values", shape: [cascades, trees, leaves, parts * 2])
        let an = try model.tensor("anchor_index", shape: [cascades, pixels])
        deltas = try model.tensor("deltas", shape: [cascades, pixels, 2])
        func indices(_ v: [Float], below limit: Int, _ name: String) throws -> [Int32] {
            var out = [Int32](repeating: 0, count: v.count)
            for i in v.indices {
                guard v[i] >= 0, v[i] < Float(limit), v[i] == v[i].rounded() else {
                    throw ModelFileError.badHeader(model.path, "\(name) holds an invalid index")
                }
                out[i] = Int32(v[i])
            }
            return out
        }
        splitIndex1 = try indices(i1, below: pixels, "split_index1")
        splitIndex2 = try indices(i2, below: pixels, "split_index2")
        anchors = try indices(an, below: parts, "anchor_index")
    }

    /// The landmarks of the face in `rect`, in image pixels, in dlib's part order.
    public func landmarks(in image: RGBImage, rect: FaceRect) -> [PixelPoint] {
        var current = initialShape
        var features = [Float](repeating: 0, count: pixels)
        let l = Double(rect.left), t = Double(rect.top)
        let sx = Double(rect.right - rect.left), sy = Double(rect.bottom - rect.top)
        // dlib's unnormalizing_tform: (0,0) -> top-left, (1,1) -> bottom-right corner.
        func toImage(_ x: Float, _ y: Float) -> DPoint { DPoint(x: l + Double(x) * sx, y: t + Double(y) * sy) }
        let initialPoints = (0..<parts).map { DPoint(x: Double(initialShape[2 * $0]), y: Double(initialShape[2 * $0 + 1])) }
        image.pixels.withUnsafeBufferPointer { px in
            for c in 0..<cascades {
                let currentPoints = (0..<parts).map { DPoint(x: Double(current[2 * $0]), y: Double(current[2 * $0 + 1])) }
                let tf = AffineMap.similarity(from: initialPoints, to: currentPoints)
                let m00 = Float(tf.m00), m01 = Float(tf.m01), m10 = Float(tf.m10), m11 = Float(tf.m11)
                for i in 0..<pixels {
                    let a = Int(anchors[c * pixels + i])
                    let dx = deltas[(c * pixels + i) * 2], dy = deltas[(c * pixels + i) * 2 + 1]
                    let fx = (m00 * dx + m01 * dy) + current[2 * a]
                    let fy = (m10 * dx + m11 * dy) + current[2 * a + 1]
                    let p = toImage(fx, fy).rounded
                    if p.x >= 0, p.y >= 0, p.x < image.width, p.y < image.height {
                        let o = p.y * image.stride + p.x * 3
                        features[i] = Float((Int(px[o]) + Int(px[o + 1]) + Int(px[o + 2])) / 3)
                    } else {
                        features[i] = 0
                    }
                }
                for tree in 0..<trees {
                    let base = (c * trees + tree) * splits
                    var node = 0
                    while node < splits {
                        let f1 = features[Int(splitIndex1[base + node])], f2 = features[Int(splitIndex2[base + node])]
                        node = f1 - f2 > thresholds[base + node] ? 2 * node + 1 : 2 * node + 2
                    }
                    let leaf = ((c * trees + tree) * leaves + (node - splits)) * parts * 2
                    for k in 0..<(parts * 2) { current[k] += leafValues[leaf + k] }
                }
            }
        }
        return (0..<parts).map { toImage(current[2 * $0], current[2 * $0 + 1]).rounded }
    }
}
