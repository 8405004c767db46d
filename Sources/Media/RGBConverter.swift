import CFFmpeg
import Common

/// How carefully swscale converts to RGB.
public enum ConversionQuality: Sendable {
    /// Bicubic, accurate rounding, full chroma interpolation, bit-exact C paths: the closest swscale
    /// gets to libjpeg/PIL decoding. Used for still images (the models' golden files came from PIL).
    case exact
    /// Plain bilinear on swscale's SIMD paths: for video frames, where speed matters.
    case fast
}

/// Converts decoded frames to 8-bit RGB (optionally capped to a maximum side) with swscale,
/// reusing one scaler for as long as the frames keep the same geometry and colour description.
final class RGBConverter {
    private struct Key: Equatable {
        var width: Int32, height: Int32, format: Int32
        var fullRange: Bool, colorspace: Int32, chromaX: Int32, chromaY: Int32
    }

    private let maxSide: Int?
    private let quality: ConversionQuality
    private var scaler: OpaquePointer?
    private var key: Key?
    private var scratch: [UInt8] = []

    init(maxSide: Int?, quality: ConversionQuality) {
        self.maxSide = maxSide
        self.quality = quality
    }

    deinit { sws_freeContext(scaler) }

    /// The output size for a source size: unchanged, or scaled down so the longer side is `maxSide`.
    static func outputSize(width: Int, height: Int, maxSide: Int?) -> (width: Int, height: Int) {
        guard let maxSide, max(width, height) > maxSide else { return (width, height) }
        let scale = Double(maxSide) / Double(max(width, height))
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }

    /// Converts one frame, writing into a buffer from `pool` when given.
    func convert(_ frame: UnsafePointer<AVFrame>, pool: FramePool? = nil) throws -> RGBImage {
        let f = frame.pointee
        guard f.width > 0, f.height > 0 else { throw FFmpegError(code: -EINVAL, operation: "frame has no size") }
        var format = AVPixelFormat(rawValue: f.format)
        // The deprecated YUVJ formats mean "full-range YUV"; say that explicitly so swscale neither
        // warns nor guesses.
        var fullRange = f.color_range == AVCOL_RANGE_JPEG
        if let plain = RGBConverter.plainFormat(forJPEG: format) {
            format = plain
            fullRange = true
        }
        var chromaX: Int32 = -513, chromaY: Int32 = -513  // swscale's "unset"
        if f.chroma_location != AVCHROMA_LOC_UNSPECIFIED, let descriptor = av_pix_fmt_desc_get(format) {
            // The position only means something along a subsampled axis; on a full-resolution axis
            // chroma is co-sited with luma and must not be shifted.
            var x: Int32 = 0, y: Int32 = 0
            if avcodec_enum_to_chroma_pos(&x, &y, f.chroma_location) == 0 {
                chromaX = descriptor.pointee.log2_chroma_w > 0 ? x : 0
                chromaY = descriptor.pointee.log2_chroma_h > 0 ? y : 0
            }
        }
        let wanted = Key(width: f.width, height: f.height, format: format.rawValue, fullRange: fullRange,
                         colorspace: Int32(f.colorspace.rawValue), chromaX: chromaX, chromaY: chromaY)
        let out = RGBConverter.outputSize(width: Int(f.width), height: Int(f.height), maxSide: maxSide)
        if key != wanted || scaler == nil {
            sws_freeContext(scaler)
            scaler = nil
            key = nil
            scaler = try makeScaler(wanted, outWidth: Int32(out.width), outHeight: Int32(out.height))
            key = wanted
        }
        let stride = out.width * 3
        // swscale's SIMD paths write whole vectors and run past the end of a row whose width is not
        // a multiple of their block, so they write into a padded scratch buffer that is copied out.
        let scratchStride = (stride + 63) & ~63
        let scratchCount = scratchStride * (out.height + 1) + 64
        if scratch.count < scratchCount { scratch = [UInt8](repeating: 0, count: scratchCount) }
        let rows = scratch.withUnsafeMutableBufferPointer { dst -> Int32 in
            var dstPlanes: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress, nil, nil, nil]
            var dstStrides: [Int32] = [Int32(scratchStride), 0, 0, 0]
            var planes = f.data
            var strides = f.linesize
            return withUnsafePointer(to: &planes) { planesTuple in
                withUnsafePointer(to: &strides) { stridesTuple in
                    planesTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                        stridesTuple.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                            sws_scale(scaler, src, srcStride, 0, f.height, &dstPlanes, &dstStrides)
                        }
                    }
                }
            }
        }
        try ffCheck(rows, "sws_scale")
        let count = stride * out.height
        let copyRows = { (to: UnsafeMutablePointer<UInt8>) in
            self.scratch.withUnsafeBufferPointer { src in
                guard let from = src.baseAddress else { return }
                for y in 0..<out.height { (to + y * stride).update(from: from + y * scratchStride, count: stride) }
            }
        }
        let pixels: [UInt8]
        if var reused = pool?.take(count: count) {
            reused.withUnsafeMutableBufferPointer { dst in dst.baseAddress.map(copyRows) }
            pixels = reused
        } else {
            // Every byte is written by the row copy, so the buffer need not be zeroed first.
            pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                buffer.baseAddress.map(copyRows)
                initialized = count
            }
        }
        guard let image = RGBImage(width: out.width, height: out.height, stride: stride, pixels: pixels) else {
            throw FFmpegError(code: -EINVAL, operation: "sws_scale produced a short buffer")
        }
        return image
    }

    private func makeScaler(_ key: Key, outWidth: Int32, outHeight: Int32) throws -> OpaquePointer {
        guard let context = sws_alloc_context() else { throw FFmpegError(code: -ENOMEM, operation: "sws_alloc_context") }
        // Exact: measured against PIL on 4:2:0 JPEGs, bicubic chroma upsampling lands closer to
        // libjpeg's "fancy" upsampling than bilinear (mean abs. difference 0.30 vs 0.36).
        // Fast: plain bilinear keeps swscale's SIMD YUV->RGB path; accurate rounding and full chroma
        // interpolation cost 5x the conversion time at 1080p for at most one level of difference.
        let exact = quality == .exact
        let flags = exact ? SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP | SWS_BITEXACT
                          : SWS_BILINEAR
        let raw = UnsafeMutableRawPointer(context)
        let options: [(String, Int64)] = [
            ("sws_flags", Int64(flags)),
            ("srcw", Int64(key.width)), ("srch", Int64(key.height)), ("src_format", Int64(key.format)),
            ("dstw", Int64(outWidth)), ("dsth", Int64(outHeight)), ("dst_format", Int64(AV_PIX_FMT_RGB24.rawValue)),
            ("src_range", key.fullRange ? 1 : 0), ("dst_range", 1),
        ] + (exact ? [("src_h_chr_pos", Int64(key.chromaX)), ("src_v_chr_pos", Int64(key.chromaY))] : [])
        for (name, value) in options {
            let code = av_opt_set_int(raw, name, value, 0)
            if code < 0 {
                sws_freeContext(context)
                throw FFmpegError(code: code, operation: "swscale option \(name)")
            }
        }
        let code = sws_init_context(context, nil, nil)
        if code < 0 {
            sws_freeContext(context)
            throw FFmpegError(code: code, operation: "sws_init_context")
        }
        // Matrix: the frame's own (BT.709 for most HD video), BT.601 when unspecified (JPEG, SD video).
        let colorspace = RGBConverter.swsColorspace(key.colorspace)
        _ = sws_setColorspaceDetails(context, sws_getCoefficients(colorspace), key.fullRange ? 1 : 0,
                                     sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
        return context
    }

    private static func swsColorspace(_ avColorspace: Int32) -> Int32 {
        switch UInt32(bitPattern: avColorspace) {
        case AVCOL_SPC_BT709.rawValue: return SWS_CS_ITU709
        case AVCOL_SPC_FCC.rawValue: return SWS_CS_FCC
        case AVCOL_SPC_SMPTE240M.rawValue: return SWS_CS_SMPTE240M
        case AVCOL_SPC_BT2020_NCL.rawValue, AVCOL_SPC_BT2020_CL.rawValue: return SWS_CS_BT2020
        default: return SWS_CS_DEFAULT
        }
    }

    private static func plainFormat(forJPEG format: AVPixelFormat) -> AVPixelFormat? {
        switch format {
        case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P
        case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P
        case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P
        case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P
        case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P
        default: return nil
        }
    }
}
