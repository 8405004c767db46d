import CFFmpeg
import Common
import Foundation

/// Decodes one video file frame by frame with bounded memory: call `next()` until it returns nil.
/// The loop follows FFmpeg's demux_decode example (EAGAIN and EOF are control flow, a NULL packet
/// flushes, every packet and frame is unreferenced). Damaged input never stops the run: problems are
/// counted in `stats` and described in `issues` with their byte position and time.
/// Not thread-safe; use one decoder from one thread at a time.
public final class VideoDecoder {
    /// The file's container and streams.
    public let info: MediaInfo
    /// The options this run uses.
    public let options: DecodeOptions
    /// Clockwise rotation (degrees) from the stream's metadata; applied to images when
    /// `options.applyRotation` is set.
    public let rotation: Int
    /// Counters so far.
    public private(set) var stats = DecodeStats()
    /// The first `maxIssuesKept` problems in detail (`stats.issueCount` counts all of them).
    public private(set) var issues: [DecodeIssue] = []
    /// How many problems are kept in `issues`.
    public static let maxIssuesKept = 500

    private enum State { case reading, draining, finished }
    private enum Outcome { case yield(VideoFrame), skip, stop }

    private var input: InputFile
    private let streamIndex: Int32
    private var stream: UnsafeMutablePointer<AVStream>
    private let decoder: StreamDecoder
    private let converter: RGBConverter
    private let pool: FramePool?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let timeBase: AVRational
    private let startPts: Int64
    private let frameDuration: Int64
    private var sampler: FrameSampler
    private var indexer = FrameIndexer()
    private var skip = NonReferenceSkip()
    /// Whether frames the sampling will not keep may be left undecoded.
    private let skipsUnsampled: Bool
    private var state = State.reading
    private var packetPending = false
    private var lastPts: Int64?
    private var consecutiveReadErrors = 0
    private var consecutiveReceiveErrors = 0
    private var reportedMissingPts = false
    private var lastSentPosition: Int64?
    private var lastSentMs: Int64?
    // Seeking: the first packet after a seek fixes the index base; the first frame must lie before
    // the start so that no frame is missed and the sampler knows the frame before the start.
    private var needsIndexBase = false
    private var checkFirstFrameBeforeMs: Int64?
    private var seekMarginMs: Int64 = 0
    private var seekAttempts = 0
    private let lastFrame: Int64?

    /// Opens `path` for decoding with `options`; decoded images reuse buffers from `pool` when given.
    public init(path: String, options: DecodeOptions = DecodeOptions(), pool: FramePool? = nil) throws {
        try options.validate()
        let input = try InputFile(path: path)
        try input.findStreamInfo()
        guard let index = MediaProbe.videoStream(of: input), let stream = input.stream(index) else {
            throw MediaError.notDecodable(path: path, reason: MediaProbe.noVideoReason(input))
        }
        input.discardAllStreams(except: index)
        guard let packet = av_packet_alloc() else {
            throw MediaError.ffmpeg(path: path, operation: "av_packet_alloc", message: "out of memory")
        }
        guard let frame = av_frame_alloc() else {
            var owned: UnsafeMutablePointer<AVPacket>? = packet
            av_packet_free(&owned)
            throw MediaError.ffmpeg(path: path, operation: "av_frame_alloc", message: "out of memory")
        }
        self.packet = packet
        self.frame = frame
        self.input = input
        self.streamIndex = index
        self.stream = stream
        self.options = options
        self.lastFrame = options.frames?.max()
        self.skipsUnsampled = options.skipUnsampledFrames && options.frames == nil
        self.pool = pool
        self.info = MediaProbe.describe(input)
        self.rotation = MediaProbe.rotation(of: stream)
        timeBase = stream.pointee.time_base
        startPts = stream.pointee.start_time == cffmpeg_nopts_value() ? 0 : stream.pointee.start_time
        let rate = stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        frameDuration = rate.num > 0 && rate.den > 0 ? max(1, av_rescale_q(1, av_inv_q(rate), timeBase)) : 1
        sampler = FrameSampler(policy: options.sampling, timeBase: timeBase)
        converter = RGBConverter(maxSide: options.maxSide, quality: options.quality)
        decoder = try StreamDecoder(stream: stream, threads: options.threads,
                                    keyframesOnly: options.sampling == .keyframes, label: path)
        if let startMs = options.startMs, startMs > 0 { try seek(toMs: startMs) }
    }

    deinit {
        var ownedPacket: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&ownedPacket)
        var ownedFrame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&ownedFrame)
    }

    /// The next sampled frame, or nil at the end of the stream or the window.
    public func next() throws -> VideoFrame? {
        while true {
            if state == .finished { return nil }
            let received = avcodec_receive_frame(decoder.context, frame)
            if received >= 0 {
                collectLoggedErrors()
                consecutiveReceiveErrors = 0
                let outcome: Outcome
                do {
                    defer { av_frame_unref(frame) }
                    outcome = try handleFrame()
                }
                switch outcome {
                case .yield(let videoFrame): return videoFrame
                case .skip: continue
                case .stop:
                    state = .finished
                    return nil
                }
            }
            if received == cffmpeg_averror_eof() {
                collectLoggedErrors()
                state = .finished
                return nil
            }
            if received != cffmpeg_averror_eagain() {
                // Frame-threaded decoders report a bad packet here rather than at send time, so the
                // position is that of the last packet sent (the damage is at or shortly before it).
                record(.decode, "\(decoder.codecName): \(FFmpegError.text(for: received)) (reported after the packet sent last)",
                       position: lastSentPosition, ptsMs: lastSentMs)
                consecutiveReceiveErrors += 1
                if consecutiveReceiveErrors < 100 { continue }
            }
            if state == .draining {
                state = .finished
                return nil
            }
            try feed()
            collectLoggedErrors()
        }
    }

    /// Turns errors the decoder only logged into issues, placed at the packet sent last.
    private func collectLoggedErrors() {
        let (messages, dropped) = decoder.log.drain()
        for message in messages { record(.decode, message, position: lastSentPosition, ptsMs: lastSentMs) }
        if dropped > 0 { stats.issueCount += Int64(dropped) }
    }

    // MARK: - Reading and sending packets

    private func feed() throws {
        if packetPending {
            let sent = avcodec_send_packet(decoder.context, packet)
            if sent == cffmpeg_averror_eagain() { return }
            packetPending = false
            if sent < 0 { recordSendError(sent) }
            av_packet_unref(packet)
            return
        }
        let code = av_read_frame(input.context, packet)
        if code < 0 {
            let atEnd = code == cffmpeg_averror_eof() || input.context.pointee.pb?.pointee.eof_reached != 0
            if !atEnd {
                let position = input.context.pointee.pb.map { avio_tell($0) }
                record(.read, FFmpegError.text(for: code), position: position, ptsMs: nil)
                consecutiveReadErrors += 1
                if consecutiveReadErrors < 1000 { return }
                record(.read, "giving up after 1000 consecutive read errors", position: position, ptsMs: nil)
            }
            reportShortStream()
            avcodec_send_packet(decoder.context, nil)
            state = .draining
            return
        }
        consecutiveReadErrors = 0
        guard packet.pointee.stream_index == streamIndex else {
            av_packet_unref(packet)
            return
        }
        if needsIndexBase {
            needsIndexBase = false
            indexer.reset(base: try packetsBefore(packet))
        }
        let p = packet.pointee
        // Decode order never goes back in time: once a packet is decoded after the window's end,
        // every frame the window needs has been sent, so flush instead of reading to the end.
        if let toMs = options.toMs, checkFirstFrameBeforeMs == nil, p.dts != cffmpeg_nopts_value(), milliseconds(p.dts) > toMs {
            av_packet_unref(packet)
            avcodec_send_packet(decoder.context, nil)
            state = .draining
            return
        }
        stats.packetsRead += 1
        let timestamp = p.pts != cffmpeg_nopts_value() ? p.pts : p.dts
        if p.flags & AV_PKT_FLAG_DISCARD == 0, timestamp != cffmpeg_nopts_value() {
            indexer.packet(timestamp: timestamp)
        }
        // Keyframes-only: non-key packets never reach the decoder (skip_frame also guards inside it).
        if options.sampling == .keyframes, p.flags & AV_PKT_FLAG_KEY == 0 {
            av_packet_unref(packet)
            return
        }
        if skipsUnsampled, p.flags & AV_PKT_FLAG_DISCARD == 0, timestamp != cffmpeg_nopts_value() {
            let drops = skip.packet(timestamp: timestamp, isKeyframe: p.flags & AV_PKT_FLAG_KEY != 0) { [sampler, startPts] in
                sampler.slot(relativePts: $0 - startPts)
            }
            decoder.context.pointee.skip_frame = drops ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
        }
        lastSentPosition = p.pos >= 0 ? p.pos : nil
        lastSentMs = timestamp != cffmpeg_nopts_value() ? milliseconds(timestamp) : nil
        let sent = avcodec_send_packet(decoder.context, packet)
        if sent == cffmpeg_averror_eagain() {
            packetPending = true
            return
        }
        if sent < 0 { recordSendError(sent) }
        av_packet_unref(packet)
    }

    /// A truncated MP4 or AVI still lists every frame in its index; reading fewer is damage.
    private func reportShortStream() {
        let listed = stream.pointee.nb_frames
        guard stats.seeks == 0, options.startMs == nil, listed > 0, stats.packetsRead < listed else { return }
        let size = input.context.pointee.pb.map { avio_size($0) }
        record(.read, "the file ends early: \(stats.packetsRead) of the \(listed) frames its index lists are present",
               position: size.flatMap { $0 >= 0 ? $0 : nil }, ptsMs: lastSentMs)
    }

    private func recordSendError(_ code: Int32) {
        let p = packet.pointee
        let timestamp = p.pts != cffmpeg_nopts_value() ? p.pts : p.dts
        record(.decode, "\(decoder.codecName): \(FFmpegError.text(for: code))",
               position: p.pos >= 0 ? p.pos : nil,
               ptsMs: timestamp != cffmpeg_nopts_value() ? milliseconds(timestamp) : nil)
    }

    // MARK: - Decoded frames

    private func handleFrame() throws -> Outcome {
        stats.framesDecoded += 1
        let f = frame.pointee
        var pts = f.pts
        var exact = true
        if pts == cffmpeg_nopts_value() {
            exact = false
            pts = f.best_effort_timestamp
            if pts == cffmpeg_nopts_value() { pts = (lastPts.map { $0 + frameDuration }) ?? startPts }
            if !reportedMissingPts {
                reportedMissingPts = true
                record(.missingTimestamp, "frames without pts; using best-effort timestamps", position: nil,
                       ptsMs: milliseconds(pts))
            }
        }
        if let lastPts, pts < lastPts {
            // Only damaged streams do this (lost reference pictures); the frame is still real.
            record(.decode, "frame presented out of order: its time goes back from \(milliseconds(lastPts)) ms",
                   position: f.pkt_pos >= 0 ? f.pkt_pos : nil, ptsMs: milliseconds(pts))
        }
        lastPts = pts
        let ms = milliseconds(pts)
        let index = indexer.frame(timestamp: pts)
        let isKeyframe = f.key_frame != 0
        let damaged = f.decode_error_flags != 0 || f.flags & AV_FRAME_FLAG_CORRUPT != 0
        if damaged {
            record(.damagedFrame, "the decoder concealed errors in frame \(index)",
                   position: f.pkt_pos >= 0 ? f.pkt_pos : nil, ptsMs: ms)
        }
        if let mustPrecede = checkFirstFrameBeforeMs {
            checkFirstFrameBeforeMs = nil
            if ms >= mustPrecede {
                // The seek landed on a keyframe presented at or after the start: frames before it
                // could be missed. Seek again from further back.
                try seek(toMs: mustPrecede, widening: true)
                return .skip
            }
        }
        let kept = options.frames.map { $0.contains(index) }
            ?? sampler.keeps(index: index, relativePts: pts - startPts, isKeyframe: isKeyframe)
        if let startMs = options.startMs, ms < startMs { return .skip }
        if let toMs = options.toMs, ms > toMs { return .stop }
        if let lastFrame, index > lastFrame { return .stop }
        guard kept else { return .skip }
        stats.framesSampled += 1
        var image: RGBImage?
        if options.convertToRGB {
            do {
                image = try converter.convert(frame, pool: pool)
            } catch let error as FFmpegError {
                throw MediaError.ffmpeg(path: input.label, operation: error.operation, message: error.message)
            }
            if options.applyRotation, rotation != 0 { image = image?.rotated(clockwise: rotation) }
        }
        return .yield(VideoFrame(index: index, ptsMs: ms, pts: pts, timeBase: (timeBase.num, timeBase.den),
                                 timestampIsExact: exact, isKeyframe: isKeyframe, isDamaged: damaged, image: image))
    }

    // MARK: - Seeking

    /// Positions the demuxer on a keyframe before `startMs`. Each retry seeks further back; after a
    /// few, or when the target reaches the stream start, it decodes from the start, which is always right.
    private func seek(toMs startMs: Int64, widening: Bool = false) throws {
        if widening {
            seekAttempts += 1
            seekMarginMs = max(1000, seekMarginMs * 2)
        }
        avcodec_flush_buffers(decoder.context)
        if packetPending { av_packet_unref(packet); packetPending = false }
        sampler.reset()
        skip.reset()
        state = .reading
        let targetMs = startMs - seekMarginMs
        if targetMs <= 0 || seekAttempts > 6 {
            try rewind()
            return
        }
        let target = startPts + av_rescale_q(targetMs, AVRational(num: 1, den: 1000), timeBase)
        let code = av_seek_frame(input.context, streamIndex, target, AVSEEK_FLAG_BACKWARD)
        if code < 0 {
            record(.seek, "seeking to \(targetMs) ms failed (\(FFmpegError.text(for: code))); decoding from the start",
                   position: nil, ptsMs: targetMs)
            try rewind()
            return
        }
        stats.seeks += 1
        needsIndexBase = true
        checkFirstFrameBeforeMs = startMs
    }

    /// Back to the first packet; indices count from 0 again. Demuxers do not all seek exactly to
    /// the first packet (MPEG-TS lands near it), so the file is opened afresh instead.
    private func rewind() throws {
        needsIndexBase = false
        checkFirstFrameBeforeMs = nil
        indexer.reset(base: 0)
        lastPts = nil
        guard stats.packetsRead > 0 || stats.seeks > 0 else { return }
        let reopened = try InputFile(path: input.label)
        try reopened.findStreamInfo()
        reopened.discardAllStreams(except: streamIndex)
        guard let reopenedStream = reopened.stream(streamIndex) else {
            throw MediaError.ffmpeg(path: input.label, operation: "reopening the file", message: "the video stream is gone")
        }
        input = reopened
        stream = reopenedStream
        avcodec_flush_buffers(decoder.context)
    }

    /// How many packets of the stream precede (in file order) the first packet read after a seek:
    /// from the container's index when it lists every frame (MP4, MOV, AVI), else by reading the
    /// packets (no decoding) from the start with a second reader, which leaves this one untouched.
    private func packetsBefore(_ first: UnsafeMutablePointer<AVPacket>) throws -> Int64 {
        let dts = first.pointee.dts, pts = first.pointee.pts, pos = first.pointee.pos
        let entries = avformat_index_get_entries_count(stream)
        if stream.pointee.nb_frames > 0, Int64(entries) == stream.pointee.nb_frames, dts != cffmpeg_nopts_value() {
            let position = av_index_search_timestamp(stream, dts, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY)
            if position >= 0, let entry = avformat_index_get_entry(stream, position),
               entry.pointee.timestamp == dts, pos < 0 || entry.pointee.pos == pos {
                var discarded: Int64 = 0
                for i in 0..<position {
                    if let e = avformat_index_get_entry(stream, i), Int32(e.pointee.flags) & AVINDEX_DISCARD_FRAME != 0 {
                        discarded += 1
                    }
                }
                return Int64(position) - discarded
            }
        }
        let scanner = try InputFile(path: input.label)
        try scanner.findStreamInfo()
        scanner.discardAllStreams(except: streamIndex)
        guard let scan = av_packet_alloc() else {
            throw MediaError.ffmpeg(path: input.label, operation: "av_packet_alloc", message: "out of memory")
        }
        defer { var owned: UnsafeMutablePointer<AVPacket>? = scan; av_packet_free(&owned) }
        var count: Int64 = 0
        var errors = 0
        while true {
            let code = av_read_frame(scanner.context, scan)
            if code < 0 {
                if code == cffmpeg_averror_eof() || errors > 1000 { break }
                errors += 1
                continue
            }
            defer { av_packet_unref(scan) }
            let p = scan.pointee
            guard p.stream_index == streamIndex else { continue }
            let samePosition = pos >= 0 ? p.pos == pos : true
            let sameTime = pts != cffmpeg_nopts_value() ? p.pts == pts : p.dts == dts
            if samePosition && sameTime { return count }
            if p.flags & AV_PKT_FLAG_DISCARD == 0 { count += 1 }
        }
        throw MediaError.ffmpeg(path: input.label, operation: "counting the frames before the seek point",
                                message: "the packet at byte \(pos) was not found reading from the start")
    }

    // MARK: - Helpers

    private func milliseconds(_ pts: Int64) -> Int64 {
        av_rescale_q(pts - startPts, timeBase, AVRational(num: 1, den: 1000))
    }

    private func record(_ kind: DecodeIssue.Kind, _ message: String, position: Int64?, ptsMs: Int64?) {
        stats.issueCount += 1
        skip.suspend()
        if issues.count < VideoDecoder.maxIssuesKept {
            issues.append(DecodeIssue(kind: kind, message: message, bytePosition: position, ptsMs: ptsMs))
        }
    }
}
