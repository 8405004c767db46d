import XCTest
@testable import FaceEngine

/// Max and average pooling under every border convention against a direct window loop, plus
/// hand-computed values for the conventions' edge behaviour.
final class PoolingTests: XCTestCase {
    private let conventions: [SpatialPadding] = [.valid, .same, .symmetric(y: 0, x: 0), .symmetric(y: 1, x: 1),
                                                 .ceil(y: 0, x: 0), .ceil(y: 1, x: 1)]

    func testMaxPoolMatchesNaive() {
        let x = Naive.tensor(2, 3, 11, 10, seed: 3)
        for p in conventions {
            for (k, s) in [(2, 2), (3, 2), (3, 1)] {
                let pool = MaxPool2D(kernelH: k, kernelW: k, strideY: s, strideX: s, padding: p)
                assertClose(pool.forward(x), Naive.pool(x, kh: k, kw: k, sy: s, sx: s, padding: p, max: true),
                            accuracy: 0, "max \(k)/\(s) \(p)")
            }
        }
    }

    /// Rows wider than the SIMD runs of the separable max (several runs plus a tail), dlib's 3/2 window.
    func testMaxPoolWideRows() {
        let x = Naive.tensor(2, 2, 20, 37, seed: 5)
        for p in [SpatialPadding.symmetric(y: 0, x: 0), .same] {
            let pool = MaxPool2D(kernelH: 3, kernelW: 3, strideY: 2, strideX: 2, padding: p)
            assertClose(pool.forward(x), Naive.pool(x, kh: 3, kw: 3, sy: 2, sx: 2, padding: p, max: true),
                        accuracy: 0, "max wide \(p)")
        }
    }

    func testAvgPoolMatchesNaive() {
        let x = Naive.tensor(2, 3, 11, 10, seed: 4)
        for p in conventions {
            for (k, s) in [(2, 2), (3, 2), (3, 1)] {
                let pool = AvgPool2D(kernelH: k, kernelW: k, strideY: s, strideX: s, padding: p)
                assertClose(pool.forward(x), Naive.pool(x, kh: k, kw: k, sy: s, sx: s, padding: p, max: false),
                            accuracy: 1e-6, "avg \(k)/\(s) \(p)")
            }
        }
    }

    func testSamePaddingNeverWinsWithNegativeValues() {
        let x = Tensor(n: 1, c: 1, h: 1, w: 3, data: [-5, -4, -3])
        let out = MaxPool2D(kernelH: 1, kernelW: 2, strideY: 1, strideX: 2, padding: .same).forward(x)
        XCTAssertEqual(out.data, [-4, -3])
    }

    func testAveragePoolDividesByTheCellsInside() {
        let x = Tensor(n: 1, c: 1, h: 3, w: 3, data: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let out = AvgPool2D(kernelH: 2, kernelW: 2, strideY: 2, strideX: 2, padding: .same).forward(x)
        XCTAssertEqual(out.data, [3, 4.5, 7.5, 9])
        let dlib = AvgPool2D(kernelH: 2, kernelW: 2, strideY: 2, strideX: 2, padding: .symmetric(y: 0, x: 0)).forward(x)
        XCTAssertEqual(dlib.data, [3], "dlib floors: the last row and column are dropped")
    }
}
