import Common
import Foundation
import XCTest
@testable import Media

final class ImageDecoderTests: XCTestCase {
    /// A 64x48 picture, red with a blue top-left quadrant, written in `pixelFormat` to `name`.
    private func quadrantImage(_ dir: URL, _ name: String, pixelFormat: String, extra: [String] = []) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=black:s=64x48,format=rgb24,"
                             + "geq=r='if(lt(X,32)*lt(Y,24),32,224)':g='if(lt(X,32)*lt(Y,24),64,16)':b='if(lt(X,32)*lt(Y,24),192,32)'",
                             "-frames:v", "1", "-pix_fmt", pixelFormat] + extra + [path])
        return path
    }

    private func assertQuadrants(_ image: RGBImage, tolerance: Int, _ name: String = "",
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.width, 64, file: file, line: line)
        XCTAssertEqual(image.height, 48, file: file, line: line)
        let blue = image.pixel(x: 8, y: 8), red = image.pixel(x: 56, y: 40)
        for (got, want) in [(blue.0, 0x20), (blue.1, 0x40), (blue.2, 0xC0), (red.0, 0xE0), (red.1, 0x10), (red.2, 0x20)] {
            XCTAssertLessThanOrEqual(abs(Int(got) - want), tolerance, "\(name): channel \(got) vs \(want)", file: file, line: line)
        }
    }

    func testLosslessFormatsDecodeExactly() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        for (name, format) in [("rgb.png", "rgb24"), ("rgba.png", "rgba"), ("deep.png", "rgb48be"),
                               ("deep-alpha.png", "rgba64be"), ("image.bmp", "bgr24"), ("image16.bmp", "rgb555le")] {
            let image = try ImageDecoder.load(path: try quadrantImage(dir, name, pixelFormat: format))
            assertQuadrants(image, tolerance: format == "rgb555le" ? 7 : 0, name)
        }
    }

    func testPaletteImageMatchesTheFFmpegCLI() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let png = try quadrantImage(dir, "palette.png", pixelFormat: "pal8")
        let raw = dir.appendingPathComponent("palette.rgb")
        try Fixtures.ffmpeg(["-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", raw.path])
        let image = try ImageDecoder.load(path: png)
        XCTAssertEqual(image.pixels, [UInt8](try Data(contentsOf: raw)))
    }

    func testGrayscaleBecomesEqualChannels() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        for (name, format) in [("gray.png", "gray"), ("gray16.png", "gray16be"), ("gray-alpha.png", "ya8")] {
            let image = try ImageDecoder.load(path: try quadrantImage(dir, name, pixelFormat: format))
            XCTAssertEqual(image.width, 64)
            let (r, g, b) = image.pixel(x: 8, y: 8)
            XCTAssertEqual(r, g, name)
            XCTAssertEqual(g, b, name)
            // Full range: the blue quadrant's luma (0.299*32+0.587*64+0.114*192 = 69) must not be stretched.
            XCTAssertLessThanOrEqual(abs(Int(r) - 69), 2, "\(name): \(r)")
        }
    }

    func testJPEGIsFullRangeAndClose() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        for (name, format) in [("q420.jpg", "yuvj420p"), ("q444.jpg", "yuvj444p")] {
            let image = try ImageDecoder.load(path: try quadrantImage(dir, name, pixelFormat: format, extra: ["-q:v", "1"]))
            assertQuadrants(image, tolerance: 4)
        }
    }

    func testRealRGBAPNG() throws {
        let path = try Fixtures.testData("faces/face_recognition/32bit.png")
        let image = try ImageDecoder.load(path: path)
        XCTAssertEqual(image.width, 626)
        XCTAssertEqual(image.height, 1200)
        XCTAssertEqual(image.pixels.count, image.stride * image.height)
    }

    func testDataAndPathGiveTheSamePixels() throws {
        let path = try Fixtures.testData("faces/face_recognition/obama.jpg")
        let fromPath = try ImageDecoder.load(path: path)
        let fromData = try ImageDecoder.load(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(fromPath.width, 910)
        XCTAssertEqual(fromPath.height, 1137)
        XCTAssertEqual(fromPath.pixels, fromData.pixels)
    }

    func testMaxSideScalesDownKeepingAspect() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let path = dir.appendingPathComponent("huge.jpg").path
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=0x808080:s=12000x9000", "-frames:v", "1", path])
        let image = try ImageDecoder.load(path: path, maxSide: 1000)
        XCTAssertEqual(image.width, 1000)
        XCTAssertEqual(image.height, 750)
        XCTAssertEqual(image.pixels.count, 1000 * 750 * 3)
        let (r, g, b) = image.pixel(x: 500, y: 375)
        XCTAssertLessThanOrEqual(abs(Int(r) - 0x80) + abs(Int(g) - 0x80) + abs(Int(b) - 0x80), 6)
        // Smaller than maxSide: untouched.
        XCTAssertEqual(try ImageDecoder.load(path: try quadrantImage(dir, "small.png", pixelFormat: "rgb24"),
                                             maxSide: 1000).width, 64)
    }

    func testBadInputsGiveClearErrorsNamingThePath() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let missing = dir.appendingPathComponent("missing.jpg").path
        XCTAssertThrowsError(try ImageDecoder.load(path: missing)) { error in
            XCTAssertEqual(error as? MediaError, .fileNotFound(path: missing))
            XCTAssertTrue("\(error)".contains(missing))
        }
        let empty = dir.appendingPathComponent("empty.jpg").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let text = dir.appendingPathComponent("notes.txt").path
        try Data("this is not a picture\n".utf8).write(to: URL(fileURLWithPath: text))
        let fake = dir.appendingPathComponent("fake.jpg").path
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x41, count: 200)).write(to: URL(fileURLWithPath: fake))
        for path in [empty, text, fake, dir.path] {
            XCTAssertThrowsError(try ImageDecoder.load(path: path), path) { error in
                guard let mediaError = error as? MediaError else { return XCTFail("\(path): \(error)") }
                XCTAssertTrue(mediaError.description.contains(path), mediaError.description)
                XCTAssertEqual(mediaError.exitStatus, .failure)
            }
        }
        XCTAssertThrowsError(try ImageDecoder.load(data: Data("plain text".utf8))) { error in
            XCTAssertTrue("\(error)".contains("<image data>"), "\(error)")
        }
        XCTAssertThrowsError(try ImageDecoder.load(path: missing, maxSide: 0)) { error in
            XCTAssertEqual((error as? MediaError)?.exitStatus, .usage)
        }
    }
}
