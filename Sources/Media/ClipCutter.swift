import CFFmpeg
import Foundation

/// Cuts an evidence clip out of a video file by stream copy (libavformat remuxing, nothing
/// re-encoded): the video and audio packets from the keyframe at or before `fromMs` to the first
/// video packet after `toMs`, their timestamps shifted so the clip starts at zero. The clip's
/// pictures are the file's own bytes; it starts on a keyframe, so every player can decode it. The
/// container follows the output's extension (`.mp4`); a codec it cannot hold makes the clip a
/// Matroska file instead (`.mkv`).
public enum ClipCutter {
    /// What was written.
    public struct Clip: Sendable, Equatable {
        /// The file (its extension may have changed to `.mkv`).
        public var url: URL
        /// Start and end of the clip on the source's timeline, ms (the start is the keyframe's, the end
        /// the last picture presented by the asked end; a few reference pictures after it may follow).
        public var fromMs: Int64
        /// End of the clip, ms.
        public var toMs: Int64
        /// Packets copied.
        public var packets: Int
    }

    /// Cuts `[fromMs, toMs]` (clamped to the file) of `path` into `output`.
    public static func cut(_ path: String, fromMs: Int64, toMs: Int64, to output: URL) throws -> Clip {
        do {
            return try remux(path, fromMs: fromMs, toMs: toMs, to: output, format: nil)
        } catch MediaError.ffmpeg(_, let operation, _) where operation == "avformat_write_header" {
            let mkv = output.deletingPathExtension().appendingPathExtension("mkv")
            try? FileManager.default.removeItem(at: output)
            return try remux(path, fromMs: fromMs, toMs: toMs, to: mkv, format: "matroska")
        }
    }

    private static func remux(_ path: String, fromMs: Int64, toMs: Int64, to output: URL, format: String?) throws -> Clip {
        let input = try InputFile(path: path)
        try input.findStreamInfo()
        guard let videoIndex = MediaProbe.videoStream(of: input), let video = input.stream(videoIndex) else {
            throw MediaError.notDecodable(path: path, reason: MediaProbe.noVideoReason(input))
        }
        var oc: UnsafeMutablePointer<AVFormatContext>?
        var code = avformat_alloc_output_context2(&oc, nil, format, output.path)
        guard code >= 0, let out = oc else {
            throw MediaError.ffmpeg(path: output.path, operation: "avformat_alloc_output_context2", message: FFmpegError.text(for: code))
        }
        defer {
            if out.pointee.pb != nil { avio_closep(&out.pointee.pb) }
            avformat_free_context(out)
        }
        // Video and audio streams are copied; the rest (data, subtitles) is left out.
        var mapping = [Int32](repeating: -1, count: Int(input.context.pointee.nb_streams))
        for i in 0..<Int(input.context.pointee.nb_streams) {
            guard let s = input.stream(Int32(i)), let par = s.pointee.codecpar,
                  par.pointee.codec_type == AVMEDIA_TYPE_VIDEO || par.pointee.codec_type == AVMEDIA_TYPE_AUDIO,
                  let o = avformat_new_stream(out, nil) else { continue }
            code = avcodec_parameters_copy(o.pointee.codecpar, par)
            guard code >= 0 else {
                throw MediaError.ffmpeg(path: path, operation: "avcodec_parameters_copy", message: FFmpegError.text(for: code))
            }
            o.pointee.codecpar.pointee.codec_tag = 0
            o.pointee.time_base = s.pointee.time_base
            mapping[i] = o.pointee.index
        }
        out.pointee.avoid_negative_ts = AVFMT_AVOID_NEG_TS_MAKE_ZERO
        code = avio_open(&out.pointee.pb, output.path, AVIO_FLAG_WRITE)
        guard code >= 0 else { throw MediaError.ffmpeg(path: output.path, operation: "avio_open", message: FFmpegError.text(for: code)) }
        code = avformat_write_header(out, nil)
        guard code >= 0 else {
            throw MediaError.ffmpeg(path: output.path, operation: "avformat_write_header", message: FFmpegError.text(for: code))
        }
        let vtb = video.pointee.time_base
        let start = video.pointee.start_time == cffmpeg_nopts_value() ? 0 : video.pointee.start_time
        let target = start + av_rescale_q(max(0, fromMs), AVRational(num: 1, den: 1000), vtb)
        let end = start + av_rescale_q(max(fromMs, toMs), AVRational(num: 1, den: 1000), vtb)
        let reorderMargin = av_rescale_q(1, AVRational(num: 1, den: 1), vtb)
        // Backward: the keyframe at or before the start, so the clip decodes from its first packet.
        if av_seek_frame(input.context, videoIndex, target, AVSEEK_FLAG_BACKWARD) < 0 {
            throw MediaError.notDecodable(path: path, reason: "no video at \(fromMs) ms to cut a clip from")
        }
        guard let packet = av_packet_alloc() else {
            throw MediaError.ffmpeg(path: path, operation: "av_packet_alloc", message: "out of memory")
        }
        defer { var p: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&p) }
        var started = false, copied = 0, firstMs: Int64?, lastMs = fromMs, reached = false
        while av_read_frame(input.context, packet) >= 0 {
            defer { av_packet_unref(packet) }
            let si = Int(packet.pointee.stream_index)
            guard si < mapping.count, mapping[si] >= 0, let source = input.stream(Int32(si)), let sink = out.pointee.streams[Int(mapping[si])]
            else { continue }
            if si == Int(videoIndex) {
                // Every picture presented up to the end is kept, with the pictures it is predicted
                // from: a packet goes in when it is decoded (dts) or presented (pts) by the end. With
                // B-frames a picture presented by the end can be decoded after it, so reading goes on
                // for a second of decode time past the end.
                let dts = packet.pointee.dts != cffmpeg_nopts_value() ? packet.pointee.dts : packet.pointee.pts
                let pts = packet.pointee.pts != cffmpeg_nopts_value() ? packet.pointee.pts : dts
                if !started {
                    // Until the first keyframe nothing is written: the clip starts on one.
                    guard packet.pointee.flags & AV_PKT_FLAG_KEY != 0 else { continue }
                    if pts != cffmpeg_nopts_value(), pts > end { break }
                    started = true
                    if pts != cffmpeg_nopts_value() { firstMs = av_rescale_q(pts - start, vtb, AVRational(num: 1, den: 1000)) }
                }
                if dts != cffmpeg_nopts_value(), dts > end + reorderMargin { break }
                let inside = (dts != cffmpeg_nopts_value() && dts <= end) || (pts != cffmpeg_nopts_value() && pts <= end)
                guard inside else { continue }
                if pts != cffmpeg_nopts_value(), pts >= target { reached = true }
                if pts != cffmpeg_nopts_value(), pts <= end {
                    lastMs = max(lastMs, av_rescale_q(pts - start, vtb, AVRational(num: 1, den: 1000)))
                }
            } else if !started {
                continue
            }
            av_packet_rescale_ts(packet, source.pointee.time_base, sink.pointee.time_base)
            packet.pointee.stream_index = mapping[si]
            packet.pointee.pos = -1
            code = av_interleaved_write_frame(out, packet)
            guard code >= 0 else {
                throw MediaError.ffmpeg(path: output.path, operation: "av_interleaved_write_frame", message: FFmpegError.text(for: code))
            }
            copied += 1
        }
        code = av_write_trailer(out)
        guard code >= 0 else { throw MediaError.ffmpeg(path: output.path, operation: "av_write_trailer", message: FFmpegError.text(for: code)) }
        guard copied > 0, reached else {
            try? FileManager.default.removeItem(at: output)
            throw MediaError.notDecodable(path: path, reason: "no video between \(fromMs) and \(toMs) ms to cut a clip from")
        }
        return Clip(url: output, fromMs: firstMs ?? fromMs, toMs: lastMs, packets: copied)
    }
}
