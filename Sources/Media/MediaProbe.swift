import CFFmpeg
import Foundation

/// Describes media files without decoding them (container, streams, keyframe spacing).
public enum MediaProbe {
    /// Opens `path` and describes its container and streams.
    public static func describe(path: String) throws -> MediaInfo {
        let input = try InputFile(path: path)
        try input.findStreamInfo()
        return describe(input)
    }

    /// Reads up to `maxPackets` video packets (no decoding) and summarises keyframe spacing.
    public static func keyframes(path: String, maxPackets: Int64 = 100_000) throws -> KeyframeSummary {
        let input = try InputFile(path: path)
        try input.findStreamInfo()
        guard let video = videoStream(of: input) else {
            throw MediaError.notDecodable(path: path, reason: noVideoReason(input))
        }
        guard let packet = av_packet_alloc() else {
            throw MediaError.ffmpeg(path: path, operation: "av_packet_alloc", message: "out of memory")
        }
        defer { var owned: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&owned) }
        var summary = KeyframeSummary(packets: 0, keyframes: 0, meanInterval: nil, maxInterval: nil, complete: true)
        var lastKey: Int64?
        var errors = 0
        while summary.packets < maxPackets {
            let code = av_read_frame(input.context, packet)
            if code < 0 {
                if code == cffmpeg_averror_eof() || errors > 1000 { break }
                errors += 1
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == video else { continue }
            if packet.pointee.flags & AV_PKT_FLAG_KEY != 0 {
                if let lastKey { summary.maxInterval = max(summary.maxInterval ?? 0, summary.packets - lastKey) }
                lastKey = summary.packets
                summary.keyframes += 1
            }
            summary.packets += 1
        }
        summary.complete = summary.packets < maxPackets
        if summary.keyframes > 0 { summary.meanInterval = Double(summary.packets) / Double(summary.keyframes) }
        return summary
    }

    static func describe(_ input: InputFile) -> MediaInfo {
        let context = input.context.pointee
        var streams: [StreamInfo] = []
        for index in 0..<Int32(context.nb_streams) {
            guard let stream = input.stream(index) else { continue }
            streams.append(describe(stream, index: Int(index)))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: input.label)[.size] as? Int64) ?? nil
        return MediaInfo(
            path: input.label, container: input.formatName,
            durationSeconds: context.duration > 0 ? Double(context.duration) / Double(cffmpeg_av_time_base()) : nil,
            bitRate: context.bit_rate > 0 ? context.bit_rate : nil,
            sizeBytes: size ?? 0, streams: streams, videoStream: videoStream(of: input).map(Int.init))
    }

    /// The video stream to decode: FFmpeg's best, unless it is only cover art.
    static func videoStream(of input: InputFile) -> Int32? {
        guard let index = input.bestVideoStream(), let stream = input.stream(index) else { return nil }
        if stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 { return nil }
        return index
    }

    /// Why a file has nothing to decode, naming what it does hold.
    static func noVideoReason(_ input: InputFile) -> String {
        let info = describe(input)
        if info.streams.isEmpty { return "it holds no streams" }
        let kinds = info.streams.map { "\($0.kind) \($0.codec)" }.joined(separator: ", ")
        return "it has no video stream (it holds: \(kinds))"
    }

    /// Clockwise degrees (0, 90, 180, 270) the stream's display matrix asks for.
    static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 36 else { return 0 }
        let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard counterClockwise.isFinite else { return 0 }
        let clockwise = Int((-counterClockwise / 90).rounded()) * 90
        return ((clockwise % 360) + 360) % 360
    }

    private static func describe(_ stream: UnsafeMutablePointer<AVStream>, index: Int) -> StreamInfo {
        let s = stream.pointee
        let parameters = s.codecpar.pointee
        let kind: String
        switch parameters.codec_type {
        case AVMEDIA_TYPE_VIDEO: kind = s.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 ? "attached_picture" : "video"
        case AVMEDIA_TYPE_AUDIO: kind = "audio"
        case AVMEDIA_TYPE_SUBTITLE: kind = "subtitle"
        case AVMEDIA_TYPE_ATTACHMENT: kind = "attachment"
        default: kind = "data"
        }
        var info = StreamInfo(index: index, kind: kind,
                              codec: avcodec_get_name(parameters.codec_id).map { String(cString: $0) } ?? "unknown",
                              timeBase: "\(s.time_base.num)/\(s.time_base.den)",
                              frameCount: s.nb_frames > 0 ? s.nb_frames : nil,
                              durationSeconds: s.duration > 0 ? Double(s.duration) * av_q2d(s.time_base) : nil)
        if parameters.codec_type == AVMEDIA_TYPE_VIDEO {
            info.width = Int(parameters.width)
            info.height = Int(parameters.height)
            info.pixelFormat = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)).map { String(cString: $0) }
            if s.avg_frame_rate.num > 0, s.avg_frame_rate.den > 0 { info.frameRate = av_q2d(s.avg_frame_rate) }
            info.rotation = rotation(of: stream)
        } else if parameters.codec_type == AVMEDIA_TYPE_AUDIO {
            info.sampleRate = Int(parameters.sample_rate)
            info.channels = Int(parameters.ch_layout.nb_channels)
        }
        return info
    }
}
