import CFFmpeg
import Common
import Foundation

/// Encodes RGB images as JPEG with libavcodec's MJPEG encoder (face thumbnails for reports).
public enum JPEGWriter {
    /// JPEG bytes for `image`; `quality` runs from 1 (smallest) to 100 (best).
    public static func encode(_ image: RGBImage, quality: Int = 90) throws -> Data {
        guard (1...100).contains(quality) else {
            throw MediaError.invalidOption("JPEG quality must be between 1 and 100, got \(quality)")
        }
        do {
            return try encodeChecked(image, quality: quality)
        } catch let error as FFmpegError {
            throw MediaError.ffmpeg(path: "<jpeg>", operation: error.operation, message: error.message)
        }
    }

    /// Writes `image` as a JPEG file at `path`.
    public static func write(_ image: RGBImage, to path: String, quality: Int = 90) throws {
        let data = try encode(image, quality: quality)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw MediaError.unreadable(path: path, reason: "cannot write the JPEG: \(error.localizedDescription)")
        }
    }

    private static func encodeChecked(_ image: RGBImage, quality: Int) throws -> Data {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw FFmpegError(code: -ENOSYS, operation: "avcodec_find_encoder(mjpeg)")
        }
        guard let context = avcodec_alloc_context3(codec) else { throw FFmpegError(code: -ENOMEM, operation: "avcodec_alloc_context3") }
        defer { var owned: UnsafeMutablePointer<AVCodecContext>? = context; avcodec_free_context(&owned) }
        // Full-range 4:2:0 is what every JPEG reader expects; qscale 1 (best) .. 31 (worst).
        let qscale = Int32((31.0 - Double(quality - 1) * 30.0 / 99.0).rounded())
        context.pointee.width = Int32(image.width)
        context.pointee.height = Int32(image.height)
        context.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        context.pointee.color_range = AVCOL_RANGE_JPEG
        context.pointee.time_base = AVRational(num: 1, den: 25)
        context.pointee.flags |= AV_CODEC_FLAG_QSCALE
        context.pointee.global_quality = FF_QP2LAMBDA * qscale
        context.pointee.qmin = 1
        context.pointee.qmax = 31
        try ffCheck(avcodec_open2(context, codec, nil), "avcodec_open2(mjpeg)")

        guard let frame = av_frame_alloc() else { throw FFmpegError(code: -ENOMEM, operation: "av_frame_alloc") }
        defer { var owned: UnsafeMutablePointer<AVFrame>? = frame; av_frame_free(&owned) }
        frame.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        frame.pointee.width = Int32(image.width)
        frame.pointee.height = Int32(image.height)
        frame.pointee.color_range = AVCOL_RANGE_JPEG
        frame.pointee.quality = context.pointee.global_quality
        try ffCheck(av_frame_get_buffer(frame, 0), "av_frame_get_buffer")
        try toYUV(image, into: frame)

        guard let packet = av_packet_alloc() else { throw FFmpegError(code: -ENOMEM, operation: "av_packet_alloc") }
        defer { var owned: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&owned) }
        try ffCheck(avcodec_send_frame(context, frame), "avcodec_send_frame")
        try ffCheck(avcodec_send_frame(context, nil), "avcodec_send_frame(flush)")
        try ffCheck(avcodec_receive_packet(context, packet), "avcodec_receive_packet")
        defer { av_packet_unref(packet) }
        guard let bytes = packet.pointee.data else { throw FFmpegError(code: -EINVAL, operation: "mjpeg produced no data") }
        return Data(bytes: bytes, count: Int(packet.pointee.size))
    }

    private static func toYUV(_ image: RGBImage, into frame: UnsafeMutablePointer<AVFrame>) throws {
        let width = Int32(image.width), height = Int32(image.height)
        guard let scaler = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P,
                                          SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nil, nil, nil) else {
            throw FFmpegError(code: -EINVAL, operation: "sws_getContext(rgb24 -> yuv420p)")
        }
        defer { sws_freeContext(scaler) }
        _ = sws_setColorspaceDetails(scaler, sws_getCoefficients(SWS_CS_DEFAULT), 1,
                                     sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
        let rows = image.pixels.withUnsafeBufferPointer { src -> Int32 in
            var srcPlanes: [UnsafePointer<UInt8>?] = [src.baseAddress, nil, nil, nil]
            var srcStrides: [Int32] = [Int32(image.stride), 0, 0, 0]
            return withUnsafeMutablePointer(to: &frame.pointee.data) { planes in
                withUnsafeMutablePointer(to: &frame.pointee.linesize) { strides in
                    planes.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { dst in
                        strides.withMemoryRebound(to: Int32.self, capacity: 8) { dstStride in
                            sws_scale(scaler, &srcPlanes, &srcStrides, 0, height, dst, dstStride)
                        }
                    }
                }
            }
        }
        try ffCheck(rows, "sws_scale(rgb24 -> yuv420p)")
    }
}
