import Common
import Foundation
import TestSupport
import XCTest
@testable import Media

/// Photos as phones store them: the EXIF orientation is applied to the pixels, a malformed Exif
/// segment leaves the picture as stored, and each upright pixel is where the source had it.
final class ImageOrientationTests: XCTestCase {
    /// Colours of the quadrants of `quadrants`: top left, top right, bottom left, bottom right.
    private static let colours: [(Int, Int, Int)] = [(224, 16, 32), (16, 200, 32), (32, 64, 192), (230, 220, 40)]

    /// A lossless 64x48 picture with four differently coloured quadrants, so each of the eight
    /// orientations looks different.
    private func quadrants(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("quadrants.png").path
        func channel(_ c: Int) -> String {
            let v = Self.colours.map { [$0.0, $0.1, $0.2][c] }
            return "if(lt(Y,24),if(lt(X,32),\(v[0]),\(v[1])),if(lt(X,32),\(v[2]),\(v[3])))"
        }
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=black:s=64x48,format=rgb24,geq=r='\(channel(0))':g='\(channel(1))':b='\(channel(2))'",
                             "-frames:v", "1", path])
        return path
    }

    private func assertUprightQuadrants(_ image: RGBImage, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual([image.width, image.height], [64, 48], name, file: file, line: line)
        guard image.width == 64, image.height == 48 else { return }
        for (i, (x, y)) in [(16, 12), (48, 12), (16, 36), (48, 36)].enumerated() {
            let (r, g, b) = image.pixel(x: x, y: y), want = Self.colours[i]
            let off = abs(Int(r) - want.0) + abs(Int(g) - want.1) + abs(Int(b) - want.2)
            XCTAssertLessThanOrEqual(off, 12, "\(name): quadrant \(i) is (\(r),\(g),\(b)), want \(want)", file: file, line: line)
        }
    }

    /// Mean absolute difference per channel of two images of one size.
    private func meanDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        var sum = 0
        for y in 0..<a.height {
            for x in 0..<a.width * 3 { sum += abs(Int(a.pixels[y * a.stride + x]) - Int(b.pixels[y * b.stride + x])) }
        }
        return Double(sum) / Double(a.width * a.height * 3)
    }

    /// Each file is stored turned by FFmpeg's own transpose/flip filters, the inverse of what its
    /// Exif tag (big- or little-endian) declares; path and in-memory decoding both read it upright.
    func testEveryOrientationComesOutUpright() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let source = try quadrants(dir)
        for orientation in 1...8 {
            let path = dir.appendingPathComponent("o\(orientation).jpg").path
            try OrientedJPEG.write(source, orientation: orientation, to: path, littleEndian: orientation % 2 == 0)
            let decoded = try ImageDecoder.decode(path: path)
            XCTAssertEqual(decoded.orientation.rawValue, orientation)
            XCTAssertEqual([decoded.width, decoded.height], [64, 48])
            assertUprightQuadrants(decoded.image, "orientation \(orientation)")
            let sent = try ImageDecoder.load(data: try Data(contentsOf: URL(fileURLWithPath: path)), label: "upload.jpg")
            XCTAssertEqual(sent.pixels, decoded.image.pixels, "orientation \(orientation): bytes and file differ")
        }
    }

    /// A real portrait-style photo in every orientation decodes to the original's pixels, within
    /// what re-encoding it as a JPEG changes; scaled down, the full upright size is still reported.
    func testRealPhotoInEveryOrientationMatchesTheOriginal() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let source = try Fixtures.testData("faces/face_recognition/obama.jpg")
        let original = try ImageDecoder.load(path: source)
        for orientation in 1...8 {
            let path = dir.appendingPathComponent("obama-o\(orientation).jpg").path
            try OrientedJPEG.write(source, orientation: orientation, to: path)
            let image = try ImageDecoder.load(path: path)
            XCTAssertEqual([image.width, image.height], [original.width, original.height], "orientation \(orientation)")
            guard image.width == original.width, image.height == original.height else { continue }
            let difference = meanDifference(image, original)
            XCTAssertLessThan(difference, 2.0, "orientation \(orientation): mean difference \(difference)")
            if (2...4).contains(orientation) {
                // The photo is not symmetric: the stored pixels (these turns are their own inverse)
                // are far from it, so a decoder ignoring the tag fails here; 5 to 8 fail on the size.
                let stored = try XCTUnwrap(ImageOrientation(rawValue: orientation)).upright(original)
                XCTAssertGreaterThan(meanDifference(stored, original), 10, "orientation \(orientation)")
            }
        }
        let portrait = dir.appendingPathComponent("obama-o6.jpg").path
        let small = try ImageDecoder.decode(path: portrait, maxSide: 500)
        XCTAssertEqual([small.width, small.height], [original.width, original.height])
        XCTAssertEqual([small.image.width, small.image.height], [400, 500])
    }

    /// WebP carries Exif in a RIFF chunk; libavcodec's webp decoder reports it as the mjpeg one does.
    func testWebPOrientationIsHonoured() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let plain = dir.appendingPathComponent("stored.webp").path
        try Fixtures.ffmpeg(["-i", try quadrants(dir), "-vf", "transpose=2", "-c:v", "libwebp", "-lossless", "1", plain])
        let riff = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
        XCTAssertEqual(Array(riff[8..<12]), Array("WEBP".utf8))
        func le(_ v: Int, _ n: Int) -> [UInt8] { OrientedJPEG.bytes(UInt32(v), n, true) }
        let tiff = Array(OrientedJPEG.exif([ExifEntry(tag: 0x0112, type: 3, count: 1, value: 6)], littleEndian: true).dropFirst(6))
        // VP8X (flag 0x08: Exif present; canvas 48x64 minus one), the image chunk, the Exif chunk.
        let vp8x = Array("VP8X".utf8) + le(10, 4) + [0x08, 0, 0, 0] + le(47, 3) + le(63, 3)
        let exif = Array("EXIF".utf8) + le(tiff.count, 4) + tiff + (tiff.count % 2 == 1 ? [0] : [])
        let body = Array("WEBP".utf8) + vp8x + riff[12...] + exif
        let path = dir.appendingPathComponent("phone.webp").path
        try Data(Array("RIFF".utf8) + le(body.count, 4) + body).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try ImageDecoder.load(path: plain).width, 48, "stored turned")
        let decoded = try ImageDecoder.decode(path: path)
        XCTAssertEqual(decoded.orientation, .right)
        assertUprightQuadrants(decoded.image, "webp")
    }

    /// Broken Exif segments are FFmpeg's to skip: the picture decodes as stored, orientation `up`.
    /// A well-formed segment into the same file does turn it, so the segments are built right.
    func testMalformedExifLeavesThePictureAsStored() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let storedPath = dir.appendingPathComponent("stored.jpg").path
        try Fixtures.ffmpeg(["-i", try quadrants(dir), "-vf", "transpose=2", "-q:v", "2", storedPath])
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: storedPath)))
        let asStored = try ImageDecoder.load(path: storedPath)
        XCTAssertEqual([asStored.width, asStored.height], [48, 64])
        func orientation(_ value: UInt32, count: UInt32 = 1, type: UInt16 = 3) -> [UInt8] {
            OrientedJPEG.exif([ExifEntry(tag: 0x0112, type: type, count: count, value: value)])
        }
        let valid = orientation(6)
        let header = Array("Exif".utf8) + [0, 0]
        var broken: [String: [UInt8]] = [
            "header only": header,
            "bad byte order": header + Array("XX".utf8) + valid[8...],
            "no Exif header": Array(valid[6...]),
            "IFD offset past the end": Array(valid[0..<10]) + [0xFF, 0xFF, 0xFF, 0x00] + valid[14...],
            "entry count past the end": Array(valid[0..<14]) + [0xFF, 0xFF] + valid[16...],
            "cut inside the entry": Array(valid[0..<22]),
            "orientation 0": orientation(0),
            "orientation 9": orientation(9),
            "orientation 65535": orientation(65535),
            "two orientation values": orientation(6 << 16 | 6, count: 2),
            "Exif IFD pointing at itself": OrientedJPEG.exif([ExifEntry(tag: 0x8769, type: 4, count: 1, value: 8)]),
        ]
        broken["orientation entry with a huge count"] = orientation(6, count: 0x7FFF_FFFF)
        for (name, payload) in broken.sorted(by: { $0.key < $1.key }) {
            let bytes = try OrientedJPEG.inserting(OrientedJPEG.app1(payload), into: jpeg)
            let decoded = try ImageDecoder.decode(data: Data(bytes), label: name)
            XCTAssertEqual(decoded.orientation, .up, name)
            XCTAssertEqual(decoded.image.pixels, asStored.pixels, "\(name): the picture should stay as stored")
        }
        let turned = try ImageDecoder.decode(data: Data(try OrientedJPEG.inserting(OrientedJPEG.app1(valid), into: jpeg)))
        XCTAssertEqual(turned.orientation, .right)
        assertUprightQuadrants(turned.image, "control")

        // A file cut off inside its Exif segment has no picture left: a clear error naming it.
        let cut = dir.appendingPathComponent("cut.jpg").path
        try Data(Array(try OrientedJPEG.inserting(OrientedJPEG.app1(valid), into: jpeg).prefix(20))).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try ImageDecoder.load(path: cut)) { error in
            guard let mediaError = error as? MediaError else { return XCTFail("\(error)") }
            XCTAssertTrue(mediaError.description.hasPrefix(cut + ": "), mediaError.description)
            XCTAssertEqual(mediaError.exitStatus, .failure)
        }
    }

    /// The text FFmpeg's Exif reader puts in frame metadata: one number, padded with spaces.
    func testOrientationFromFrameMetadataText() {
        XCTAssertEqual(ImageOrientation(metadataValue: "    6"), .right)
        XCTAssertEqual(ImageOrientation(metadataValue: "1"), .up)
        XCTAssertEqual(ImageOrientation(metadataValue: " 8 "), .left)
        for bad in ["", "   ", "0", "9", "65535", "-6", "six", "6, 6", "    6      6", "6.0", "\u{FF16}", "\u{0666}"] {
            XCTAssertNil(ImageOrientation(metadataValue: bad), "'\(bad)'")
        }
    }

    /// Sizes follow the turn: 5 to 8 swap width and height.
    func testUprightSizeSwapsForQuarterTurns() {
        for orientation in ImageOrientation.allCases {
            let size = orientation.uprightSize(width: 4, height: 3)
            XCTAssertEqual([size.width, size.height], orientation.rawValue >= 5 ? [3, 4] : [4, 3], "\(orientation)")
            let image = orientation.upright(RGBImage(width: 4, height: 3))
            XCTAssertEqual([image.width, image.height], [size.width, size.height])
        }
    }
}
