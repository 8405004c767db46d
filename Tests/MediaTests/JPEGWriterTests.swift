import Common
import XCTest
@testable import Media

final class JPEGWriterTests: XCTestCase {
    func testRoundTripThroughTheDecoder() throws {
        let path = try Fixtures.testData("faces/face_recognition/obama-240p.jpg")
        let original = try ImageDecoder.load(path: path)
        let data = try JPEGWriter.encode(original, quality: 95)
        XCTAssertEqual(Array(data.prefix(2)), [0xFF, 0xD8])
        let decoded = try ImageDecoder.load(data: data)
        XCTAssertEqual(decoded.width, original.width)
        XCTAssertEqual(decoded.height, original.height)
        var total = 0
        for y in 0..<original.height {
            for x in 0..<(original.width * 3) {
                total += abs(Int(original.pixels[y * original.stride + x]) - Int(decoded.pixels[y * decoded.stride + x]))
            }
        }
        let mean = Double(total) / Double(original.width * original.height * 3)
        XCTAssertLessThan(mean, 3.0, "mean abs difference after a quality-95 round trip")
        XCTAssertLessThan(try JPEGWriter.encode(original, quality: 20).count, data.count)
    }

    func testOddSizesAndFiles() throws {
        var image = RGBImage(width: 37, height: 21)
        for i in stride(from: 0, to: image.pixels.count, by: 3) { image.pixels[i] = 200 }
        let dir = try Fixtures.temporaryDirectory(self)
        let path = dir.appendingPathComponent("thumb.jpg").path
        try JPEGWriter.write(image, to: path)
        let back = try ImageDecoder.load(path: path)
        XCTAssertEqual(back.width, 37)
        XCTAssertEqual(back.height, 21)
        XCTAssertLessThanOrEqual(abs(Int(back.pixel(x: 18, y: 10).0) - 200), 4)
        XCTAssertThrowsError(try JPEGWriter.encode(image, quality: 0))
        XCTAssertThrowsError(try JPEGWriter.write(image, to: dir.appendingPathComponent("no/such/dir/x.jpg").path))
    }
}
