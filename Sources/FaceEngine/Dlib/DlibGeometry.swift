import Foundation

/// Double-precision geometry with dlib's exact conventions (inclusive `drectangle` edges,
/// `floor(x + 0.5)` point rounding, `lround` rectangle rounding), so alignment reproduces dlib's
/// pixel choices rather than approximating them.
struct DPoint: Equatable {
    var x: Double
    var y: Double

    static func + (a: DPoint, b: DPoint) -> DPoint { DPoint(x: a.x + b.x, y: a.y + b.y) }
    static func - (a: DPoint, b: DPoint) -> DPoint { DPoint(x: a.x - b.x, y: a.y - b.y) }
    static func * (a: DPoint, s: Double) -> DPoint { DPoint(x: a.x * s, y: a.y * s) }

    /// dlib's conversion of a floating point to an integer `point`.
    var rounded: PixelPoint { PixelPoint(x: Int((x + 0.5).rounded(.down)), y: Int((y + 0.5).rounded(.down))) }
}

/// dlib's `drectangle`: inclusive edges, so `width = right - left + 1`.
struct DRect: Equatable {
    var left: Double, top: Double, right: Double, bottom: Double

    init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// The smallest rectangle holding both points (dlib's `drectangle(p1, p2)`).
    init(_ a: DPoint, _ b: DPoint) {
        self.init(left: min(a.x, b.x), top: min(a.y, b.y), right: max(a.x, b.x), bottom: max(a.y, b.y))
    }

    init(_ r: FaceRect) {
        self.init(left: Double(r.left), top: Double(r.top), right: Double(r.right), bottom: Double(r.bottom))
    }

    var isEmpty: Bool { top > bottom || left > right }
    var width: Double { isEmpty ? 0 : right - left + 1 }
    var height: Double { isEmpty ? 0 : bottom - top + 1 }
    var area: Double { width * height }
    var center: DPoint { DPoint(x: (left + right) / 2, y: (top + bottom) / 2) }
    var topLeft: DPoint { DPoint(x: left, y: top) }
    var topRight: DPoint { DPoint(x: right, y: top) }
    var bottomLeft: DPoint { DPoint(x: left, y: bottom) }
    var bottomRight: DPoint { DPoint(x: right, y: bottom) }

    /// Union that ignores empty operands, as dlib's `operator+`.
    func union(_ o: DRect) -> DRect {
        if o.isEmpty { return self }
        if isEmpty { return o }
        return DRect(left: min(left, o.left), top: min(top, o.top), right: max(right, o.right), bottom: max(bottom, o.bottom))
    }

    func intersect(_ o: DRect) -> DRect {
        DRect(left: max(left, o.left), top: max(top, o.top), right: min(right, o.right), bottom: min(bottom, o.bottom))
    }

    func grown(by n: Double) -> DRect {
        DRect(left: left - n, top: top - n, right: right + n, bottom: bottom + n)
    }

    func translated(by p: DPoint) -> DRect {
        DRect(left: left + p.x, top: top + p.y, right: right + p.x, bottom: bottom + p.y)
    }

    /// dlib's `centered_drect(p, width, height)`.
    static func centered(at p: DPoint, width: Double, height: Double) -> DRect {
        let w = width - 1, h = height - 1
        return DRect(left: p.x - w / 2, top: p.y - h / 2, right: p.x + w / 2, bottom: p.y + h / 2)
    }

    /// Conversion to an integer rectangle with `lround` on each edge.
    var lrounded: FaceRect {
        FaceRect(left: Int(left.rounded()), top: Int(top.rounded()), right: Int(right.rounded()), bottom: Int(bottom.rounded()))
    }
}

/// `p -> m * p + t` with a 2x2 matrix `m` (row-major `m00 m01 / m10 m11`).
struct AffineMap {
    var m00: Double, m01: Double, m10: Double, m11: Double, tx: Double, ty: Double

    func callAsFunction(_ p: DPoint) -> DPoint {
        DPoint(x: m00 * p.x + m01 * p.y + tx, y: m10 * p.x + m11 * p.y + ty)
    }

    /// The least-squares similarity transform (rotation, uniform scale, translation) taking
    /// `from` onto `to`: Umeyama's solution, as dlib's `find_similarity_transform`. In 2-D the
    /// optimal rotation has the closed form used here; it equals the SVD route including the
    /// reflection guard.
    static func similarity(from: [DPoint], to: [DPoint]) -> AffineMap {
        let n = Double(from.count)
        var mf = DPoint(x: 0, y: 0), mt = DPoint(x: 0, y: 0)
        for i in from.indices {
            mf = mf + from[i]
            mt = mt + to[i]
        }
        mf = mf * (1 / n)
        mt = mt * (1 / n)
        var sigmaFrom = 0.0, dot = 0.0, cross = 0.0
        for i in from.indices {
            let a = from[i] - mf, b = to[i] - mt
            sigmaFrom += a.x * a.x + a.y * a.y
            dot += a.x * b.x + a.y * b.y
            cross += a.x * b.y - a.y * b.x
        }
        sigmaFrom /= n
        dot /= n
        cross /= n
        let norm = (dot * dot + cross * cross).squareRoot()
        let cosA = norm > 0 ? dot / norm : 1, sinA = norm > 0 ? cross / norm : 0
        let c = sigmaFrom != 0 ? norm / sigmaFrom : 1
        let m00 = c * cosA, m01 = -c * sinA, m10 = c * sinA, m11 = c * cosA
        return AffineMap(m00: m00, m01: m01, m10: m10, m11: m11,
                         tx: mt.x - (m00 * mf.x + m01 * mf.y), ty: mt.y - (m10 * mf.x + m11 * mf.y))
    }

    /// The affine transform taking three points exactly onto three others
    /// (dlib's `find_affine_transform` with three correspondences).
    static func through(from: [DPoint], to: [DPoint]) -> AffineMap {
        // Solve [x y 1] * X = target per output coordinate with Cramer's rule.
        let (a, b, c) = (from[0], from[1], from[2])
        let det = a.x * (b.y - c.y) - a.y * (b.x - c.x) + (b.x * c.y - c.x * b.y)
        func solve(_ v0: Double, _ v1: Double, _ v2: Double) -> (Double, Double, Double) {
            let p = (v0 * (b.y - c.y) - a.y * (v1 - v2) + (v1 * c.y - v2 * b.y)) / det
            let q = (a.x * (v1 - v2) - v0 * (b.x - c.x) + (b.x * v2 - c.x * v1)) / det
            let r = (a.x * (b.y * v2 - c.y * v1) - a.y * (b.x * v2 - c.x * v1) + v0 * (b.x * c.y - c.x * b.y)) / det
            return (p, q, r)
        }
        let x = solve(to[0].x, to[1].x, to[2].x), y = solve(to[0].y, to[1].y, to[2].y)
        return AffineMap(m00: x.0, m01: x.1, m10: y.0, m11: y.1, tx: x.2, ty: y.2)
    }
}

/// dlib's `rotate_point(center, p, angle)`.
func rotatePoint(center: DPoint, _ p: DPoint, angle: Double) -> DPoint {
    let s = sin(angle), c = cos(angle)
    let d = p - center
    return DPoint(x: c * d.x - s * d.y + center.x, y: s * d.x + c * d.y + center.y)
}
