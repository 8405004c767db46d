import CFFmpeg
import Common
import Foundation

/// Loads still images (JPEG, PNG including RGBA and 16-bit, grayscale, BMP, WebP, anything FFmpeg
/// decodes) as 8-bit RGB through the same libraries as video, so enrollment photos and frames share
/// one path. The picture comes out upright: the EXIF orientation FFmpeg's decoders report (JPEG,
/// WebP) is applied to the pixels, so a phone's portrait photo is not read lying on its side.
public enum ImageDecoder {
    /// Decodes the image at `path`; with `maxSide`, scales it down so its longer side is at most that.
    public static func load(path: String, maxSide: Int? = nil) throws -> RGBImage {
        try decode(path: path, maxSide: maxSide).image
    }

    /// Decodes an image held in memory (for example one sent over HTTP); `label` names it in errors.
    public static func load(data: Data, maxSide: Int? = nil, label: String = "<image data>") throws -> RGBImage {
        try decode(data: data, maxSide: maxSide, label: label).image
    }

    /// `load(path:maxSide:)` with the picture's full upright size and the orientation applied.
    public static func decode(path: String, maxSide: Int? = nil) throws -> DecodedImage {
        try validate(maxSide)
        return try read(InputFile(path: path), maxSide: maxSide)
    }

    /// `load(data:maxSide:label:)` with the picture's full upright size and the orientation applied.
    public static func decode(data: Data, maxSide: Int? = nil, label: String = "<image data>") throws -> DecodedImage {
        try validate(maxSide)
        return try read(InputFile(data: data, label: label), maxSide: maxSide)
    }

    private static func validate(_ maxSide: Int?) throws {
        if let maxSide, maxSide < 1 { throw MediaError.invalidOption("maxSide must be at least 1, got \(maxSide)") }
    }

    private static func read(_ input: InputFile, maxSide: Int?) throws -> DecodedImage {
        // Image demuxers name the codec in their header; skipping find_stream_info then avoids
        // decoding a huge image twice just to learn its size.
        var index = input.bestVideoStream()
        if index.flatMap({ input.stream($0) })?.pointee.codecpar.pointee.codec_id ?? AV_CODEC_ID_NONE == AV_CODEC_ID_NONE {
            try input.findStreamInfo()
            index = input.bestVideoStream()
        }
        guard let index, let stream = input.stream(index) else {
            throw MediaError.notDecodable(path: input.label, reason: "it holds no image")
        }
        let decoder = try StreamDecoder(stream: stream, threads: 1, keyframesOnly: false,
                                    libjpegIDCT: true, label: input.label)
        let converter = RGBConverter(maxSide: maxSide, quality: .exact)
        guard let packet = av_packet_alloc() else { throw MediaError.ffmpeg(path: input.label, operation: "av_packet_alloc", message: "out of memory") }
        guard let frame = av_frame_alloc() else {
            var owned: UnsafeMutablePointer<AVPacket>? = packet
            av_packet_free(&owned)
            throw MediaError.ffmpeg(path: input.label, operation: "av_frame_alloc", message: "out of memory")
        }
        defer {
            var ownedPacket: UnsafeMutablePointer<AVPacket>? = packet
            av_packet_free(&ownedPacket)
            var ownedFrame: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&ownedFrame)
        }
        var lastError: String?
        var flushed = false
        while !flushed {
            let read = av_read_frame(input.context, packet)
            if read < 0 {
                if read != cffmpeg_averror_eof() { lastError = "reading failed: \(FFmpegError.text(for: read))" }
                avcodec_send_packet(decoder.context, nil)
                flushed = true
            } else {
                defer { av_packet_unref(packet) }
                if packet.pointee.stream_index != index { continue }
                let sent = avcodec_send_packet(decoder.context, packet)
                if sent < 0 && sent != cffmpeg_averror_eagain() {
                    lastError = "\(decoder.codecName) decoding failed: \(FFmpegError.text(for: sent))"
                    continue
                }
            }
            let received = avcodec_receive_frame(decoder.context, frame)
            if received >= 0 {
                defer { av_frame_unref(frame) }
                // Exact libjpeg colour conversion for JPEGs kept at full size; when scaling down,
                // swscale converts and scales in one pass so the full-size RGB never exists.
                let f = frame.pointee
                let stored = (width: Int(f.width), height: Int(f.height))
                let orientation = Self.orientation(of: frame)
                let upright = orientation.uprightSize(width: stored.width, height: stored.height)
                let fullSize = RGBConverter.outputSize(width: stored.width, height: stored.height, maxSide: maxSide) == stored
                let image: RGBImage
                if decoder.context.pointee.codec_id == AV_CODEC_ID_MJPEG, fullSize,
                   let subsampling = LibjpegColor.subsampling(of: frame),
                   let exact = LibjpegColor.convert(frame, subsampling: subsampling) {
                    image = exact
                } else {
                    do {
                        image = try converter.convert(frame)
                    } catch let error as FFmpegError {
                        throw MediaError.ffmpeg(path: input.label, operation: error.operation, message: error.message)
                    }
                }
                return DecodedImage(image: orientation.upright(image), width: upright.width, height: upright.height,
                                    orientation: orientation)
            }
            if received != cffmpeg_averror_eagain() && received != cffmpeg_averror_eof() {
                lastError = "\(decoder.codecName) decoding failed: \(FFmpegError.text(for: received))"
            }
        }
        throw MediaError.notDecodable(path: input.label, reason: lastError ?? "no picture could be decoded")
    }

    /// The EXIF orientation a decoder put in the frame's metadata (libavcodec 59's mjpeg and webp
    /// decoders copy Exif IFD0 entries there); `up` when there is none or it is not 1 to 8.
    private static func orientation(of frame: UnsafePointer<AVFrame>) -> ImageOrientation {
        guard let entry = av_dict_get(frame.pointee.metadata, "Orientation", nil, 0), let value = entry.pointee.value else {
            return .up
        }
        return ImageOrientation(metadataValue: String(cString: value)) ?? .up
    }
}
