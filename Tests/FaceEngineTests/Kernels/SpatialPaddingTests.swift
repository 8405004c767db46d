import XCTest
@testable import FaceEngine

/// Output sizes and padding offsets of each border convention, checked against values worked out
/// by hand from the Keras, dlib and Caffe formulas.
final class SpatialPaddingTests: XCTestCase {
    func testKerasValidFloors() {
        XCTAssertEqual(SpatialPadding.valid.resolve(input: 7, kernel: 3, stride: 2, axisIsY: true).output, 3)
        XCTAssertEqual(SpatialPadding.valid.resolve(input: 12, kernel: 3, stride: 1, axisIsY: true).output, 10)
        XCTAssertEqual(SpatialPadding.valid.resolve(input: 2, kernel: 3, stride: 1, axisIsY: true).output, 0)
    }

    func testKerasSameCeilsAndPadsMostlyAfter() {
        let r = SpatialPadding.same.resolve(input: 7, kernel: 3, stride: 2, axisIsY: true)
        XCTAssertEqual(r.output, 4)
        XCTAssertEqual(r.padBefore, 1)
        let even = SpatialPadding.same.resolve(input: 10, kernel: 2, stride: 2, axisIsY: false)
        XCTAssertEqual(even.output, 5)
        XCTAssertEqual(even.padBefore, 0)
        let odd = SpatialPadding.same.resolve(input: 5, kernel: 2, stride: 2, axisIsY: false)
        XCTAssertEqual(odd.output, 3)
        XCTAssertEqual(odd.padBefore, 0, "the single padded column goes after")
    }

    func testDlibSizesOfTheFaceResNet() {
        let none = SpatialPadding.symmetric(y: 0, x: 0)
        XCTAssertEqual(none.resolve(input: 150, kernel: 7, stride: 2, axisIsY: true).output, 72)
        XCTAssertEqual(none.resolve(input: 72, kernel: 3, stride: 2, axisIsY: true).output, 35)
        XCTAssertEqual(none.resolve(input: 8, kernel: 3, stride: 2, axisIsY: true).output, 3)
        XCTAssertEqual(none.resolve(input: 8, kernel: 2, stride: 2, axisIsY: true).output, 4)
        let one = SpatialPadding.symmetric(y: 1, x: 1)
        XCTAssertEqual(one.resolve(input: 35, kernel: 3, stride: 1, axisIsY: true).output, 35)
    }

    func testCaffeCeil() {
        XCTAssertEqual(SpatialPadding.ceil(y: 0, x: 0).resolve(input: 10, kernel: 2, stride: 2, axisIsY: true).output, 5)
        XCTAssertEqual(SpatialPadding.ceil(y: 0, x: 0).resolve(input: 22, kernel: 3, stride: 2, axisIsY: true).output, 11)
        XCTAssertEqual(SpatialPadding.ceil(y: 0, x: 0).resolve(input: 11, kernel: 3, stride: 2, axisIsY: true).output, 5)
        XCTAssertEqual(SpatialPadding.ceil(y: 1, x: 1).resolve(input: 4, kernel: 3, stride: 2, axisIsY: true).output, 3)
        // The window that would start inside the trailing padding is dropped.
        XCTAssertEqual(SpatialPadding.ceil(y: 1, x: 1).resolve(input: 3, kernel: 2, stride: 2, axisIsY: true).output, 2)
    }
}
