import XCTest
@testable import FaceEngine

/// The pyramid must be the `mtcnn` package's, scale for scale.
final class MTCNNPyramidTests: XCTestCase {
    /// Printed by `build_scale_pyramid(w, h, min_face_size=mf, scale_factor=0.709)` from
    /// `mtcnn/utils/images.py` of mtcnn 1.0.0 (numpy float64, `repr` of each scale).
    static let packageScales: [(w: Int, h: Int, minFace: Int, scales: [Double])] = [
        (640, 360, 20, [0.6, 0.42539999999999994, 0.30160859999999995, 0.21384049739999994,
                        0.15161291265659996, 0.10749355507352938, 0.07621293054713231,
                        0.054034967757916816, 0.038310792140363016]),
        (1920, 1080, 20, [0.6, 0.42539999999999994, 0.30160859999999995, 0.21384049739999994,
                          0.15161291265659996, 0.10749355507352938, 0.07621293054713231,
                          0.054034967757916816, 0.038310792140363016, 0.027162351627517376,
                          0.01925810730390982, 0.013653998078472061]),
        (1920, 1080, 40, [0.3, 0.21269999999999997, 0.15080429999999997, 0.10692024869999997,
                          0.07580645632829998, 0.05374677753676469, 0.038106465273566155,
                          0.027017483878958408, 0.019155396070181508, 0.013581175813758688,
                          0.00962905365195491, 0.0068269990392360305]),
        (250, 250, 20, [0.6, 0.42539999999999994, 0.30160859999999995, 0.21384049739999994,
                        0.15161291265659996, 0.10749355507352938, 0.07621293054713231,
                        0.054034967757916816]),
        (100, 60, 20, [0.6, 0.42539999999999994, 0.30160859999999995, 0.21384049739999994]),
        (640, 360, 12, [1.0, 0.709, 0.5026809999999999, 0.3564008289999999, 0.25268818776099994,
                        0.17915592512254896, 0.1270215509118872, 0.09005827959652803,
                        0.06385132023393836]),
        (12, 12, 20, []),
        (11, 30, 20, []),
    ]

    /// numpy raises 0.709 to an integer array with its own vectorised `power`, which differs from
    /// the C library's `pow` in the last bit for a few exponents (0.709^6 here); level sizes and
    /// box coordinates cannot tell a one-ulp difference apart.
    func testScalesEqualThePackagesToTheLastBit() {
        for c in MTCNNPyramidTests.packageScales {
            let ours = MTCNNPyramid.packageScales(width: c.w, height: c.h, minFaceSize: c.minFace, scaleFactor: 0.709)
            XCTAssertEqual(ours.count, c.scales.count, "\(c.w)x\(c.h) min face \(c.minFace)")
            for (a, b) in zip(ours, c.scales) {
                XCTAssertLessThanOrEqual(abs(a - b), b.ulp, "\(c.w)x\(c.h) min face \(c.minFace)")
                XCTAssertEqual(Int(Double(c.h) * a), Int(Double(c.h) * b))
                XCTAssertEqual(Int(Double(c.w) * a), Int(Double(c.w) * b))
            }
        }
    }

    func testLevelSizesTruncateLikeTensorFlow() {
        let levels = MTCNNPyramid.levels(width: 640, height: 360, minFaceSize: 20, scaleFactor: 0.709)
        XCTAssertEqual(levels.count, 9, "min face 20 keeps every package level")
        XCTAssertEqual(levels.first.map { [$0.width, $0.height] }, [384, 216])
        // 360 * 0.0383107... = 13.79 and 640 * 0.0383107... = 24.5: truncated, not rounded.
        XCTAssertEqual(levels.last.map { [$0.width, $0.height] }, [24, 13])
    }

    func testLevelsTooSmallForPNetAreDropped() {
        // With min face 40 the package's last levels are 10 and 7 pixels high; P-Net has no output
        // there (the package itself fails on them), so they are left out.
        let levels = MTCNNPyramid.levels(width: 1920, height: 1080, minFaceSize: 40, scaleFactor: 0.709)
        XCTAssertEqual(levels.count, 10)
        XCTAssertTrue(levels.allSatisfy { min($0.width, $0.height) >= 11 })
        for (a, b) in zip(levels.map(\.scale), MTCNNPyramidTests.packageScales[2].scales.prefix(10)) {
            XCTAssertLessThanOrEqual(abs(a - b), b.ulp)
        }
    }

    func testPNetOutputSize() {
        // conv 3x3 -> max-pool 2/2 "same" -> conv 3x3 -> conv 3x3.
        for h in 1..<64 {
            let conv1 = max(0, h - 2)
            let pooled = (conv1 + 1) / 2
            let expected = max(0, pooled - 4)
            XCTAssertEqual(PNet.outputSize(h), expected, "input \(h)")
        }
    }
}
