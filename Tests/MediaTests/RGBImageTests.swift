import Common
import XCTest
@testable import Media

final class RGBImageTests: XCTestCase {
    func testRejectsBuffersTooSmallForTheirSize() {
        XCTAssertNil(RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 0, count: 47)))
        XCTAssertNil(RGBImage(width: 4, height: 4, stride: 11, pixels: [UInt8](repeating: 0, count: 64)))
        XCTAssertNotNil(RGBImage(width: 4, height: 4, stride: 16, pixels: [UInt8](repeating: 0, count: 64)))
    }

    func testPixelHonoursStride() throws {
        var bytes = [UInt8](repeating: 0, count: 2 * 8)
        bytes[8 + 3] = 10; bytes[8 + 4] = 20; bytes[8 + 5] = 30
        let image = try XCTUnwrap(RGBImage(width: 2, height: 2, stride: 8, pixels: bytes))
        XCTAssertEqual(image.pixel(x: 1, y: 1).0, 10)
        XCTAssertEqual(image.pixel(x: 1, y: 1).2, 30)
    }
}
