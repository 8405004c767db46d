import Common
import Foundation
import XCTest
@testable import Media

/// HEIC/HEIF photos, which this FFmpeg cannot open, are named by their bytes, not their file names;
/// AVIF, which it can, is decoded.
final class UnsupportedImageFormatTests: XCTestCase {
    /// An `ftyp` box of `brands` (major first; the minor version is zero) and `tail` after it.
    private func ftyp(_ brands: [String], tail: [UInt8] = []) -> [UInt8] {
        let major = Array(brands[0].utf8), compatible = brands.dropFirst().flatMap { Array($0.utf8) }
        let size = 16 + compatible.count
        return [0, 0, UInt8(size >> 8), UInt8(size & 0xFF)] + Array("ftyp".utf8) + major + [0, 0, 0, 0] + compatible + tail
    }

    /// What an iPhone's HEIC starts with: `ftyp` (heic; mif1, heic), then a `meta` box, no `moov`.
    private var heicBytes: [UInt8] {
        var random = SystemRandomNumberGenerator()
        let meta: [UInt8] = [0, 0, 0x01, 0x00] + Array("meta".utf8) + (0..<248).map { _ in UInt8.random(in: 0...255, using: &random) }
        return ftyp(["heic", "mif1", "heic"], tail: meta)
    }

    func testHEICIsNamedWhateverItsFileName() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let text = dir.appendingPathComponent("notes.jpg").path
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: text))
        let today: MediaError
        do { _ = try ImageDecoder.load(path: text); return XCTFail("a text file decoded") } catch let e as MediaError { today = e }
        for name in ["photo.heic", "IMG_0001.HEIF", "renamed.jpg"] {
            let path = dir.appendingPathComponent(name).path
            try Data(heicBytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ImageDecoder.load(path: path), name) { error in
                XCTAssertEqual(error as? MediaError, .unsupportedFormat(path: path, format: "HEIC/HEIF"))
                XCTAssertEqual("\(error)", "\(path): HEIC/HEIF images are not supported by this FFmpeg build; convert to JPEG or PNG")
                XCTAssertEqual((error as? MediaError)?.exitStatus, today.exitStatus, "the exit status of other unreadable photos")
            }
        }
        XCTAssertThrowsError(try ImageDecoder.load(data: Data(heicBytes), label: "upload:IMG_0002.HEIC")) { error in
            XCTAssertEqual(error as? MediaError, .unsupportedFormat(path: "upload:IMG_0002.HEIC", format: "HEIC/HEIF"))
        }
        // A video path reads the same bytes the same way (not as an MP4 that lost its index).
        let video = dir.appendingPathComponent("clip.mov").path
        try Data(heicBytes).write(to: URL(fileURLWithPath: video))
        XCTAssertThrowsError(try MediaProbe.describe(path: video)) { error in
            XCTAssertEqual(error as? MediaError, .unsupportedFormat(path: video, format: "HEIC/HEIF"))
        }
        // An MP4 brand with the same bytes after it is still the truncated-MP4 message.
        let mp4 = dir.appendingPathComponent("cut.mp4").path
        try Data(ftyp(["isom", "iso2", "mp41"], tail: Array(heicBytes.dropFirst(24)))).write(to: URL(fileURLWithPath: mp4))
        XCTAssertThrowsError(try ImageDecoder.load(path: mp4)) { error in
            XCTAssertTrue("\(error)".contains("moov atom"), "\(error)")
        }
    }

    /// libavformat 5.1 reads single-picture AVIF (HEIF with AV1), so its brands are not refused.
    func testAVIFDecodes() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        let path = dir.appendingPathComponent("still.avif").path
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=64x48", "-frames:v", "1", "-c:v", "libaom-av1", "-still-picture", "1", path])
        let head = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(64))
        XCTAssertEqual(String(decoding: head[4..<12], as: UTF8.self), "ftypavif")
        XCTAssertNil(UnsupportedImageFormat.name(head: head))
        let image = try ImageDecoder.load(path: path)
        XCTAssertEqual([image.width, image.height], [64, 48])
    }

    func testBrandsAreReadOnlyInsideTheBox() {
        XCTAssertEqual(UnsupportedImageFormat.name(head: ftyp(["heic"])), "HEIC/HEIF")
        XCTAssertEqual(UnsupportedImageFormat.name(head: ftyp(["mif1", "heic", "miaf"])), "HEIC/HEIF")
        XCTAssertEqual(UnsupportedImageFormat.name(head: ftyp(["msf1", "hevc"])), "HEIC/HEIF")
        XCTAssertNil(UnsupportedImageFormat.name(head: ftyp(["avif", "mif1", "miaf"])))
        XCTAssertNil(UnsupportedImageFormat.name(head: ftyp(["mif1", "avif"])))
        XCTAssertNil(UnsupportedImageFormat.name(head: ftyp(["isom", "mp41"])))
        // "heic" after the box's declared end is something else's bytes.
        XCTAssertNil(UnsupportedImageFormat.name(head: ftyp(["isom"], tail: Array("heic".utf8))))
        // A box cut short by the head still shows its major brand; too few bytes show nothing.
        XCTAssertEqual(UnsupportedImageFormat.name(head: Array(ftyp(["heic", "mif1"]).prefix(12))), "HEIC/HEIF")
        XCTAssertNil(UnsupportedImageFormat.name(head: Array(ftyp(["heic"]).prefix(11))))
        XCTAssertNil(UnsupportedImageFormat.name(head: []))
        XCTAssertNil(UnsupportedImageFormat.name(head: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)))
    }
}
