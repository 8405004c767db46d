import Common
import XCTest
@testable import Media

/// Decoding into recycled buffers: the same pictures, in the buffers handed back.
final class FramePoolTests: XCTestCase {
    func testRecycledBuffersAreReusedForTheSamePictures() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        var options = DecodeOptions()
        options.sampling = .fps(5)
        let plain = try decodeAll(path, options).frames.map { fingerprint($0.image) }
        let pool = FramePool(capacity: 2)
        let decoder = try VideoDecoder(path: path, options: options, pool: pool)
        var pictures: [UInt64] = [], buffers: [UnsafeRawPointer?] = []
        while let frame = try decoder.next() {
            guard let image = frame.image else { return XCTFail("frame \(frame.index) has no picture") }
            pictures.append(fingerprint(image))
            buffers.append(image.pixels.withUnsafeBytes { $0.baseAddress })
            pool.recycle(image)
        }
        XCTAssertEqual(pictures, plain)
        XCTAssertGreaterThan(pictures.count, 3)
        // Handed back before the next frame is converted, the one buffer is reused every time.
        XCTAssertEqual(Set(buffers.map { $0.map(Int.init(bitPattern:)) }).count, 1, "one buffer for all frames")
    }
}
