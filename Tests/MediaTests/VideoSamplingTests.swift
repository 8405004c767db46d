import XCTest
@testable import Media

final class VideoSamplingTests: XCTestCase {
    private func options(_ sampling: SamplingPolicy, convert: Bool = false) -> DecodeOptions {
        var options = DecodeOptions()
        options.sampling = sampling
        options.convertToRGB = convert
        return options
    }

    func testEveryFrameHasItsIndexExactTimeAndKeyFlag() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        let (frames, decoder) = try decodeAll(path, options(.all, convert: true))
        XCTAssertEqual(frames.map(\.index), Array(0..<200))
        XCTAssertEqual(frames.map(\.ptsMs), (0..<200).map { Int64($0) * 40 })
        XCTAssertEqual(frames.filter(\.isKeyframe).map(\.index), [0, 50, 100, 150])
        XCTAssertTrue(frames.allSatisfy { $0.timestampIsExact && !$0.isDamaged && $0.image?.width == 320 })
        XCTAssertEqual(frames.map { ProbedFrame(ptsMs: $0.ptsMs, isKeyframe: $0.isKeyframe) }, try Fixtures.probeFrames(path))
        XCTAssertEqual(decoder.stats.framesDecoded, 200)
        XCTAssertEqual(decoder.stats.framesSampled, 200)
        XCTAssertEqual(decoder.stats.issueCount, 0, "\(decoder.issues)")
        XCTAssertEqual(Set(frames.map { fingerprint($0.image) }).count, 200, "testsrc2 frames must all differ")
    }

    func testEveryNth() throws {
        let frames = try decodeAll(try VideoFixtures.shared.path("cfr.mp4"), options(.every(7))).frames
        XCTAssertEqual(frames.map(\.index), Array(stride(from: 0, to: 200, by: 7)))
        XCTAssertEqual(frames.map(\.ptsMs), stride(from: 0, to: 200, by: 7).map { Int64($0) * 40 })
    }

    func testFpsOnConstantRate() throws {
        let frames = try decodeAll(try VideoFixtures.shared.path("cfr.mp4"), options(.fps(2))).frames
        // Slot k covers [k/2 s, (k+1)/2 s); its first frame at 25 fps is ceil(12.5 k).
        let expected = (0..<16).map { Int64((Double($0) * 12.5).rounded(.up)) }
        XCTAssertEqual(frames.map(\.index), expected)
        XCTAssertEqual(frames.map(\.ptsMs), expected.map { $0 * 40 })
    }

    func testFpsOnVariableRateFollowsPresentationTime() throws {
        let path = try VideoFixtures.shared.path("vfr.mkv")
        let probed = try Fixtures.probeFrames(path)
        XCTAssertGreaterThan(probed.count, 60)
        for rate in [2.0, 3.0, 0.5] {
            var expected: [Int64] = [], lastSlot = Int64.min
            for (i, frame) in probed.enumerated() {
                let slot = Int64((Double(frame.ptsMs) * rate / 1000).rounded(.down))
                if slot > lastSlot { expected.append(Int64(i)); lastSlot = slot }
            }
            let frames = try decodeAll(path, options(.fps(rate))).frames
            XCTAssertEqual(frames.map(\.index), expected, "fps:\(rate)")
            XCTAssertEqual(frames.map(\.ptsMs), expected.map { probed[Int($0)].ptsMs }, "fps:\(rate)")
        }
        // 25 fps (40 ms steps) for the first 2 s, then about 10 fps.
        let all = try decodeAll(path, options(.all)).frames
        XCTAssertEqual(all.map(\.ptsMs), probed.map(\.ptsMs))
        let steps = zip(all.dropFirst(), all).map { $0.ptsMs - $1.ptsMs }
        XCTAssertEqual(Set(steps.prefix(49)), [40])
        XCTAssertTrue(steps.suffix(40).allSatisfy { $0 >= 80 }, "\(steps)")
    }

    func testKeyframesOnlyDecodesOnlyKeyframes() throws {
        for name in ["cfr.mp4", "cfr.ts", "hevc.mp4", "mpeg4.avi"] {
            let path = try VideoFixtures.shared.path(name)
            let keyPackets = try Fixtures.probeKeyPackets(path)
            let (frames, decoder) = try decodeAll(path, options(.keyframes))
            let full = try decodeAll(path, options(.all)).frames
            XCTAssertGreaterThan(keyPackets, 1, name)
            XCTAssertEqual(frames.count, keyPackets, name)
            XCTAssertEqual(decoder.stats.framesDecoded, Int64(keyPackets), "\(name): only keyframes may be decoded")
            XCTAssertTrue(frames.allSatisfy(\.isKeyframe), name)
            // Same indices and times as the keyframes of a full decode.
            let fullKeys = full.filter(\.isKeyframe)
            XCTAssertEqual(frames.map(\.index), fullKeys.map(\.index), name)
            XCTAssertEqual(frames.map(\.ptsMs), fullKeys.map(\.ptsMs), name)
        }
    }

    func testCodecsAndContainers() throws {
        for name in ["hevc.mp4", "mjpeg.avi", "mpeg4.avi", "mpeg4.mov", "cfr.ts", "cfr.mkv"] {
            let path = try VideoFixtures.shared.path(name)
            let probed = try Fixtures.probeFrames(path)
            let (frames, decoder) = try decodeAll(path, options(.all, convert: true))
            XCTAssertEqual(frames.map(\.ptsMs), probed.map(\.ptsMs), name)
            XCTAssertEqual(frames.map(\.index), (0..<Int64(probed.count)).map { $0 }, name)
            XCTAssertTrue(frames.allSatisfy { $0.image?.width == 320 && $0.image?.height == 240 }, name)
            XCTAssertEqual(decoder.stats.issueCount, 0, "\(name): \(decoder.issues)")
        }
    }

    func testSameFramesAcrossContainers() throws {
        let mp4 = try decodeAll(try VideoFixtures.shared.path("cfr.mp4"), options(.every(10), convert: true)).frames
        for name in ["cfr.ts", "cfr.mkv"] {
            let other = try decodeAll(try VideoFixtures.shared.path(name), options(.every(10), convert: true)).frames
            XCTAssertEqual(other.map(\.index), mp4.map(\.index), name)
            XCTAssertEqual(other.map(\.ptsMs), mp4.map(\.ptsMs), name)
            XCTAssertEqual(other.map { fingerprint($0.image) }, mp4.map { fingerprint($0.image) }, name)
        }
    }

    func testThreadCountDoesNotChangePixels() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        var one = options(.every(9), convert: true)
        one.threads = 1
        var two = one
        two.threads = 2
        XCTAssertEqual(try decodeAll(path, one).frames.map { fingerprint($0.image) },
                       try decodeAll(path, two).frames.map { fingerprint($0.image) })
    }

    func testRotationIsAppliedLikeTheFFmpegCLI() throws {
        let path = try VideoFixtures.shared.path("rotated.mp4")
        let decoder = try VideoDecoder(path: path)
        // `rotate=90` ends up as a display matrix that ffprobe reports as 90° counter-clockwise,
        // i.e. a 270° clockwise turn; the pixel comparison below with the CLI is the real check.
        XCTAssertEqual(decoder.rotation, 270)
        XCTAssertEqual(decoder.info.streams.first?.rotation, 270)
        let image = try XCTUnwrap(try decoder.next()?.image)
        XCTAssertEqual(image.width, 240)
        XCTAssertEqual(image.height, 320)
        // The CLI auto-rotates too; compare the first frame pixel by pixel.
        let raw = VideoFixtures.shared.dir.appendingPathComponent("rotated.rgb").path
        try Fixtures.ffmpeg(["-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        let cli = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        XCTAssertEqual(cli.count, image.pixels.count)
        let meanDifference = zip(cli, image.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / max(1, cli.count)
        XCTAssertLessThanOrEqual(meanDifference, 3)
        var upright = DecodeOptions()
        upright.applyRotation = false
        XCTAssertEqual(try VideoDecoder(path: path, options: upright).next()?.image?.width, 320)
    }

    func testMaxSideAndFramePool() throws {
        let pool = FramePool(capacity: 2)
        var options = options(.every(20), convert: true)
        options.maxSide = 160
        let decoder = try VideoDecoder(path: try VideoFixtures.shared.path("cfr.mp4"), options: options, pool: pool)
        var count = 0
        while let frame = try decoder.next() {
            let image = try XCTUnwrap(frame.image)
            XCTAssertEqual(image.width, 160)
            XCTAssertEqual(image.height, 120)
            pool.recycle(image)
            XCTAssertEqual(pool.spareCount, 1, "the next frame must take the recycled buffer, not allocate")
            count += 1
        }
        XCTAssertEqual(count, 10)
    }

    func testSamplingPolicyParsing() throws {
        XCTAssertEqual(try SamplingPolicy(parsing: "every:25"), .every(25))
        XCTAssertEqual(try SamplingPolicy(parsing: "fps:2.5"), .fps(2.5))
        XCTAssertEqual(try SamplingPolicy(parsing: "keyframes"), .keyframes)
        XCTAssertEqual(try SamplingPolicy(parsing: "all"), .all)
        for bad in ["every:0", "every:x", "fps:-1", "fps:", "sometimes", "every"] {
            XCTAssertThrowsError(try SamplingPolicy(parsing: bad), bad) { error in
                XCTAssertEqual((error as? MediaError)?.exitStatus, .usage)
            }
        }
        XCTAssertEqual(try SamplingPolicy(parsing: SamplingPolicy.fps(0.5).description), .fps(0.5))
    }
}
