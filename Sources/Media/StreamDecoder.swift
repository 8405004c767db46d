import CFFmpeg

/// An opened libavcodec decoder for one stream; frees its context on deinit.
final class StreamDecoder {
    /// The codec context; valid for the object's lifetime.
    let context: UnsafeMutablePointer<AVCodecContext>

    /// Opens the decoder FFmpeg registers for the stream's codec.
    /// `threads` 0 lets FFmpeg choose; `keyframesOnly` makes the codec skip non-key frames entirely.
    init(stream: UnsafeMutablePointer<AVStream>, threads: Int, keyframesOnly: Bool, libjpegIDCT: Bool = false,
         label: String) throws {
        guard let parameters = stream.pointee.codecpar else {
            throw MediaError.notDecodable(path: label, reason: "the stream has no codec parameters")
        }
        let codecID = parameters.pointee.codec_id
        guard let codec = avcodec_find_decoder(codecID) else {
            let name = avcodec_get_name(codecID).map { String(cString: $0) } ?? "unknown"
            throw MediaError.notDecodable(path: label, reason: "no decoder for codec \(name) in this FFmpeg build")
        }
        guard let allocated = avcodec_alloc_context3(codec) else {
            throw MediaError.ffmpeg(path: label, operation: "avcodec_alloc_context3", message: "out of memory")
        }
        context = allocated
        do {
            try ffCheck(avcodec_parameters_to_context(allocated, parameters), "avcodec_parameters_to_context")
            allocated.pointee.pkt_timebase = stream.pointee.time_base
            allocated.pointee.thread_count = Int32(max(0, threads))
            // Frame threads add latency but scale best; slice threads help codecs without frame threading.
            allocated.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
            if keyframesOnly { allocated.pointee.skip_frame = AVDISCARD_NONKEY }
            // libjpeg's accurate integer IDCT (jidctint), which PIL uses, instead of FFmpeg's own.
            if libjpegIDCT {
                allocated.pointee.idct_algo = FF_IDCT_INT
                allocated.pointee.flags |= AV_CODEC_FLAG_BITEXACT
            }
            try ffCheck(avcodec_open2(allocated, codec, nil), "avcodec_open2")
        } catch let error as FFmpegError {
            var owned: UnsafeMutablePointer<AVCodecContext>? = allocated
            avcodec_free_context(&owned)
            throw MediaError.ffmpeg(path: label, operation: error.operation, message: error.message)
        }
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// The codec's short name (`h264`, `mjpeg`, ...).
    var codecName: String {
        guard let codec = context.pointee.codec, let name = codec.pointee.name else { return "unknown" }
        return String(cString: name)
    }
}
