import XCTest
@testable import FaceEngine

/// dlib's `add_prev` semantics: zero-extension of both inputs to the larger shape.
final class ResidualAddTests: XCTestCase {
    func testEqualShapesAddElementwise() {
        let a = Naive.tensor(2, 3, 4, 4, seed: 41), b = Naive.tensor(2, 3, 4, 4, seed: 42)
        let y = ResidualAdd().forward(a, b)
        for i in 0..<a.count { XCTAssertEqual(y.data[i], a.data[i] + b.data[i]) }
    }

    /// The shape of dlib's downsampling blocks: a 3x3 block output with twice the channels plus
    /// a 4x4 average-pooled shortcut with the old channel count.
    func testDifferentChannelsAndSizesAddOverTheOverlap() {
        let block = Naive.tensor(2, 8, 3, 3, seed: 43), shortcut = Naive.tensor(2, 4, 4, 4, seed: 44)
        let y = ResidualAdd().forward(block, shortcut)
        XCTAssertEqual(y.shape, [2, 8, 4, 4])
        for i in 0..<2 { for k in 0..<8 { for r in 0..<4 { for c in 0..<4 {
            var e: Float = 0
            if k < 8 && r < 3 && c < 3 { e += block[i, k, r, c] }
            if k < 4 { e += shortcut[i, k, r, c] }
            XCTAssertEqual(y[i, k, r, c], e, "at \(i),\(k),\(r),\(c)")
        } } } }
        XCTAssertEqual(ResidualAdd().forward(shortcut, block), y, "order does not matter")
    }
}
