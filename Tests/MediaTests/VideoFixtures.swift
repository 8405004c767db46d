import Common
import Foundation
import XCTest
@testable import Media

/// Synthetic videos generated once per test run with the ffmpeg CLI (nothing binary is committed).
/// testsrc2 pictures change every frame, so every frame's pixels are distinct.
final class VideoFixtures: @unchecked Sendable {
    static let shared = VideoFixtures()
    private let lock = NSLock()
    private var made: [String: String] = [:]
    let dir: URL

    private init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-media-videos-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: VideoFixtures.shared.dir) }
    }

    /// Path of fixture `name`, generated on first use.
    func path(_ name: String) throws -> String {
        lock.lock(); defer { lock.unlock() }
        if let path = made[name] { return path }
        let path = dir.appendingPathComponent(name).path
        try generate(name, path)
        made[name] = path
        return path
    }

    private func generate(_ name: String, _ path: String) throws {
        let x264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"]
        switch name {
        case "cfr.mp4":  // 25 fps, 8 s = 200 frames, GOP 50 (keyframes at 0, 2, 4, 6 s), B-frames
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=8"] + x264 +
                                ["-bf", "2", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                                 "-movflags", "+faststart", path])
        case "cfr.ts", "cfr.mkv":  // the same stream in containers without a per-frame index
            try Fixtures.ffmpeg(["-i", try unlocked("cfr.mp4"), "-c", "copy", path])
        case "vfr.mkv":  // 25 fps for 2 s, then 10 fps
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=4",
                                 "-vf", "setpts='if(lt(N,50),N*0.04,2+(N-50)*0.1)/TB'", "-fps_mode", "vfr"] + x264 +
                                ["-g", "30", "-bf", "0", path])
        case "hevc.mp4":
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=24:d=2", "-c:v", "libx265",
                                 "-x265-params", "log-level=none:keyint=24:min-keyint=24:scenecut=0", "-pix_fmt", "yuv420p", path])
        case "mjpeg.avi":
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1.2", "-c:v", "mjpeg", "-q:v", "5", path])
        case "mpeg4.avi":
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "mpeg4", "-g", "12", "-q:v", "4", path])
        case "mpeg4.mov":
            try Fixtures.ffmpeg(["-i", try unlocked("mpeg4.avi"), "-c", "copy", path])
        case "rotated.mp4":  // display matrix asking for a 90° turn, as phones write it
            let plain = dir.appendingPathComponent("unrotated.mp4").path
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=0.4"] + x264 + [plain])
            try Fixtures.ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", path])
        case "truncated.mp4":  // the first 55 % of the bytes
            let data = try Data(contentsOf: URL(fileURLWithPath: try unlocked("cfr.mp4")))
            try data.prefix(data.count * 55 / 100).write(to: URL(fileURLWithPath: path))
        case "truncated.ts":
            let data = try Data(contentsOf: URL(fileURLWithPath: try unlocked("cfr.ts")))
            try data.prefix(data.count * 55 / 100).write(to: URL(fileURLWithPath: path))
        case "unfinished.mp4":  // index (moov) at the end, as recorders write it, and the last 45 % missing
            let tailIndexed = dir.appendingPathComponent("tail-indexed.mp4").path
            try Fixtures.ffmpeg(["-i", try unlocked("cfr.mp4"), "-c", "copy", tailIndexed])
            let data = try Data(contentsOf: URL(fileURLWithPath: tailIndexed))
            try data.prefix(data.count * 55 / 100).write(to: URL(fileURLWithPath: path))
        case "corrupt.mp4", "corrupt.ts":  // 16 KiB of garbage written over the middle
            var data = try Data(contentsOf: URL(fileURLWithPath: try unlocked(name == "corrupt.mp4" ? "cfr.mp4" : "cfr.ts")))
            var state: UInt32 = 12345
            let start = data.count * 45 / 100
            for i in start..<(start + 16384) {
                state = state &* 1_103_515_245 &+ 12345
                data[i] = UInt8(truncatingIfNeeded: state >> 16)
            }
            try data.write(to: URL(fileURLWithPath: path))
        case "noindex.avi":  // the AVI with its idx1 index cut off
            let data = try Data(contentsOf: URL(fileURLWithPath: try unlocked("mpeg4.avi")))
            guard let range = data.range(of: Data("idx1".utf8)) else { throw FixtureError(message: "no idx1 in the AVI") }
            try data.prefix(upTo: range.lowerBound).write(to: URL(fileURLWithPath: path))
        case "audio.m4a":
            try Fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path])
        case "empty.mp4":
            _ = FileManager.default.createFile(atPath: path, contents: Data())
        case "notes.txt", "notes.mp4":
            try Data("Case 1142 notes: camera 3 footage is in the evidence locker.\n".utf8).write(to: URL(fileURLWithPath: path))
        default:
            throw FixtureError(message: "unknown fixture \(name)")
        }
    }

    /// `path(_:)` for use while the lock is already held.
    private func unlocked(_ name: String) throws -> String {
        if let path = made[name] { return path }
        let path = dir.appendingPathComponent(name).path
        try generate(name, path)
        made[name] = path
        return path
    }
}

/// What ffprobe says about a stream's frames: the independent oracle for our timestamps.
struct ProbedFrame: Equatable {
    let ptsMs: Int64
    let isKeyframe: Bool
}

extension Fixtures {
    /// Every decoded frame of the first video stream per ffprobe, times relative to the stream start.
    static func probeFrames(_ path: String) throws -> [ProbedFrame] {
        let startLines = try ffprobe(["-select_streams", "v:0", "-show_entries", "stream=start_time", "-of", "csv=p=0", path])
        let start = startLines.split(separator: "\n").lazy.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }.first ?? 0
        let out = try ffprobe(["-select_streams", "v:0", "-show_entries", "frame=pts_time,key_frame", "-of", "csv=p=0", path])
        return out.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ",")
            guard fields.count >= 2, let key = Int(fields[0]), let t = Double(fields[1]) else { return nil }
            return ProbedFrame(ptsMs: Int64(((t - start) * 1000).rounded()), isKeyframe: key == 1)
        }
    }

    /// Number of keyframe packets in the first video stream per ffprobe (no decoding).
    static func probeKeyPackets(_ path: String) throws -> Int {
        let out = try ffprobe(["-select_streams", "v:0", "-show_entries", "packet=flags", "-of", "csv=p=0", path])
        return out.split(separator: "\n").filter { $0.hasPrefix("K") }.count
    }
}

/// Decodes a whole run into a list (tests only; real callers pull frames one at a time).
func decodeAll(_ path: String, _ options: DecodeOptions = DecodeOptions()) throws -> (frames: [VideoFrame], decoder: VideoDecoder) {
    let decoder = try VideoDecoder(path: path, options: options)
    var frames: [VideoFrame] = []
    while let frame = try decoder.next() { frames.append(frame) }
    return (frames, decoder)
}

/// A short fingerprint of a frame's pixels (FNV-1a), so runs can be compared picture by picture.
func fingerprint(_ image: RGBImage?) -> UInt64 {
    guard let image else { return 0 }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in image.pixels { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}
