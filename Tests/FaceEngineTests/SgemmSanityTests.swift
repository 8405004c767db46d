import COpenBLAS
import XCTest
@testable import FaceEngine

/// OpenBLAS is linked and multiplies correctly (row-major, transposes) through the C module.
final class SgemmSanityTests: XCTestCase {
    func testSgemmMatchesNaiveProduct() {
        let m = 7, n = 5, k = 9
        let a = (0..<(m * k)).map { Float(($0 * 37) % 11) - 5 }
        let b = (0..<(k * n)).map { Float(($0 * 13) % 7) - 3 }
        var c = [Float](repeating: 0, count: m * n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        for i in 0..<m {
            for j in 0..<n {
                var expected: Float = 0
                for p in 0..<k { expected += a[i * k + p] * b[p * n + j] }
                XCTAssertEqual(c[i * n + j], expected, accuracy: 1e-4, "c[\(i),\(j)]")
            }
        }
    }

    func testThreadCountCanBeSet() {
        BLASThreads.set(1)
        XCTAssertEqual(BLASThreads.current, 1)
    }
}
