import XCTest
@testable import FaceEngine

/// Shape and element-wise closeness of two tensors, with the first differing index in the message.
func assertClose(_ a: Tensor, _ b: Tensor, accuracy: Float, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "\(what): shape", file: file, line: line)
    guard a.shape == b.shape else { return }
    for i in 0..<a.count where abs(a.data[i] - b.data[i]) > accuracy * max(1, abs(b.data[i])) {
        XCTFail("\(what): element \(i) is \(a.data[i]), expected \(b.data[i])", file: file, line: line)
        return
    }
}
