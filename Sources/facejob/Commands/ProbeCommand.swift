import ArgumentParser
import Common
import Foundation
import Media

/// `facejob probe`: describe a video or image file; with --decode, decode it with a sampling policy and time it.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Describe a video or image file; with --decode, decode it and time it.",
        discussion: """
        Prints the container, its streams (codec, size, frame rate, duration, rotation) and the keyframe \
        interval. With --decode it decodes the video stream with the chosen sampling policy and reports \
        frames_decoded, frames_sampled, the sampled frames (index@milliseconds), decode errors with their \
        byte positions, open_seconds (opening, stream analysis, the initial seek) and decode_seconds \
        (the decode loop). Exit status 2 when the file decoded with errors.
        """)

    @Argument(help: "The video or image file.")
    var file: String

    @Flag(help: "Decode the video stream and time it.")
    var decode = false

    @Option(help: "Which frames to keep: all, every:N, fps:F or keyframes (non-key frames are then never decoded).")
    var sample = "all"

    @Option(help: "Start of the time window in seconds (reached by seeking).")
    var from: Double?

    @Option(help: "End of the time window in seconds (inclusive).")
    var to: Double?

    @Option(help: "Resume: keep only frames presented after this time in milliseconds.")
    var resumeAfterMs: Int64?

    @Option(help: "Decoder threads; 0 means one per core.")
    var threads = 0

    @Option(help: "Scale kept frames down so their longer side is at most this many pixels.")
    var maxSide: Int?

    @Flag(help: "Do not convert kept frames to RGB (time the decoder alone).")
    var noConvert = false

    @Option(help: "Write the first kept frame as a binary PPM image to this file (for comparisons).")
    var writePpm: String?

    @Option(help: "Read at most this many packets to measure the keyframe interval.")
    var keyframeScanLimit: Int64 = 20_000

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let status = try await mapErrors { try probe() }
        if status != .success { throw ExitCode(status.rawValue) }
    }

    private func probe() throws -> ExitStatus {
        let info = try MediaProbe.describe(path: file)
        let keyframes = info.videoStream == nil ? nil : try MediaProbe.keyframes(path: file, maxPackets: keyframeScanLimit)
        var report = ProbeReport(info: info, keyframes: keyframes, decode: nil)
        if decode { report.decode = try runDecode() }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            print(report.text, terminator: "")
        }
        return (report.decode?.errors ?? 0) > 0 ? .partial : .success
    }

    private func runDecode() throws -> DecodeReport {
        var options = DecodeOptions()
        options.sampling = try SamplingPolicy(parsing: sample)
        options.fromMs = try from.map { try milliseconds($0, "--from") }
        options.toMs = try to.map { try milliseconds($0, "--to") }
        options.resumeAfterMs = resumeAfterMs
        options.threads = threads
        options.maxSide = maxSide
        options.convertToRGB = !noConvert || writePpm != nil
        let opening = DispatchTime.now().uptimeNanoseconds
        let decoder = try VideoDecoder(path: file, options: options)
        var sampled: [SampledFrame] = []
        // Still images go through ImageDecoder, the path enrollment photos take.
        var wroteImage = false
        if let path = writePpm, isStillImage(decoder.info) {
            try writePPM(try ImageDecoder.load(path: file, maxSide: maxSide), to: path)
            wroteImage = true
        }
        let started = DispatchTime.now().uptimeNanoseconds
        while let frame = try decoder.next() {
            sampled.append(SampledFrame(index: frame.index, ptsMs: frame.ptsMs, keyframe: frame.isKeyframe,
                                        damaged: frame.isDamaged ? true : nil))
            if let path = writePpm, !wroteImage, let image = frame.image {
                try writePPM(image, to: path)
                wroteImage = true
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return DecodeReport(policy: options.sampling.description, fromMs: options.fromMs, toMs: options.toMs,
                            threads: threads, openSeconds: Double(started - opening) / 1e9,
                            framesDecoded: decoder.stats.framesDecoded,
                            framesSampled: decoder.stats.framesSampled, packetsRead: decoder.stats.packetsRead,
                            seeks: decoder.stats.seeks, decodeSeconds: seconds, errors: decoder.stats.issueCount,
                            issues: decoder.issues.map(\.description), sampled: sampled)
    }

    private func isStillImage(_ info: MediaInfo) -> Bool {
        info.container == "image2" || info.container.hasSuffix("_pipe")
    }

    private func milliseconds(_ seconds: Double, _ flag: String) throws -> Int64 {
        guard seconds.isFinite, seconds >= 0 else { throw ValidationError("\(flag) must be a time in seconds >= 0") }
        return Int64((seconds * 1000).rounded())
    }

    private func writePPM(_ image: RGBImage, to path: String) throws {
        var data = Data("P6\n\(image.width) \(image.height)\n255\n".utf8)
        for y in 0..<image.height {
            data.append(contentsOf: image.pixels[(y * image.stride)..<(y * image.stride + image.width * 3)])
        }
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw MediaError.unreadable(path: path, reason: "cannot write the PPM: \(error.localizedDescription)")
        }
    }
}

/// Everything `facejob probe` prints.
private struct ProbeReport: Encodable {
    var info: MediaInfo
    var keyframes: KeyframeSummary?
    var decode: DecodeReport?

    var text: String {
        var out = "file: \(info.path) (\(info.sizeBytes) bytes)\n"
        out += "container: \(info.container)"
        if let duration = info.durationSeconds { out += ", duration \(String(format: "%.3f", duration)) s" }
        if let rate = info.bitRate { out += ", \(rate / 1000) kb/s" }
        out += "\n"
        for stream in info.streams {
            out += "stream \(stream.index): \(stream.kind) \(stream.codec)"
            if let w = stream.width, let h = stream.height { out += " \(w)x\(h)" }
            if let format = stream.pixelFormat { out += " \(format)" }
            if let fps = stream.frameRate { out += " \(String(format: "%.3f", fps)) fps" }
            if let frames = stream.frameCount { out += ", \(frames) frames" }
            if let duration = stream.durationSeconds { out += ", \(String(format: "%.3f", duration)) s" }
            if let rotation = stream.rotation, rotation != 0 { out += ", rotate \(rotation)° clockwise" }
            if let rate = stream.sampleRate { out += " \(rate) Hz" }
            if let channels = stream.channels { out += " \(channels) ch" }
            out += ", time base \(stream.timeBase)\n"
        }
        if let k = keyframes {
            out += "keyframes: \(k.keyframes) in \(k.packets) frames\(k.complete ? "" : " (first \(k.packets) read)")"
            if let mean = k.meanInterval { out += ", mean interval \(String(format: "%.1f", mean))" }
            if let max = k.maxInterval { out += ", max interval \(max)" }
            out += "\n"
        }
        if let d = decode {
            out += "policy: \(d.policy)"
            if d.fromMs != nil || d.toMs != nil {
                out += ", window \(d.fromMs.map(String.init) ?? "start")–\(d.toMs.map(String.init) ?? "end") ms"
            }
            out += ", threads \(d.threads == 0 ? "auto" : String(d.threads))\n"
            out += "frames_decoded: \(d.framesDecoded)\nframes_sampled: \(d.framesSampled)\n"
            out += "open_seconds: \(String(format: "%.3f", d.openSeconds))\n"
            out += "decode_seconds: \(String(format: "%.3f", d.decodeSeconds))"
            if d.decodeSeconds > 0 { out += " (\(String(format: "%.1f", Double(d.framesDecoded) / d.decodeSeconds)) decoded frames/s)" }
            out += "\nerrors: \(d.errors)\n"
            for issue in d.issues { out += "  \(issue)\n" }
            out += "sampled (index@ms):"
            for frame in d.sampled { out += " \(frame.index)@\(frame.ptsMs)\(frame.keyframe ? "K" : "")" }
            out += "\n"
        }
        return out
    }
}

/// The `--decode` part of the report.
private struct DecodeReport: Encodable {
    var policy: String
    var fromMs: Int64?
    var toMs: Int64?
    var threads: Int
    var openSeconds: Double
    var framesDecoded: Int64
    var framesSampled: Int64
    var packetsRead: Int64
    var seeks: Int
    var decodeSeconds: Double
    var errors: Int64
    var issues: [String]
    var sampled: [SampledFrame]
}

/// One kept frame in the report.
private struct SampledFrame: Encodable {
    var index: Int64
    var ptsMs: Int64
    var keyframe: Bool
    var damaged: Bool?
}
