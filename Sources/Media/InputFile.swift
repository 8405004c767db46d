import CFFmpeg
import Foundation

/// An opened libavformat input (a file or an in-memory buffer); closes everything it opened on deinit.
final class InputFile {
    /// The demuxer context; valid for the object's lifetime.
    let context: UnsafeMutablePointer<AVFormatContext>
    /// The path, or a label such as `<memory>` for buffers; used in every message.
    let label: String
    private let reader: MemoryReader?
    private let io: UnsafeMutablePointer<AVIOContext>?

    /// Opens a file after checking that it exists, is readable and is not empty.
    init(path: String) throws {
        FFmpegLog.configure
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MediaError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw MediaError.unreadable(path: path, reason: "it is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw MediaError.unreadable(path: path, reason: "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if size == 0 { throw MediaError.notDecodable(path: path, reason: "the file is empty (0 bytes)") }
        guard let allocated = avformat_alloc_context() else {
            throw MediaError.ffmpeg(path: path, operation: "avformat_alloc_context", message: "out of memory")
        }
        // The demuxer logs why it gives up (`moov atom not found`); collect that for the message.
        let log = DecoderLog()
        allocated.pointee.opaque = Unmanaged.passUnretained(log).toOpaque()
        var opened: UnsafeMutablePointer<AVFormatContext>? = allocated
        // avformat_open_input frees the context on failure.
        let code = avformat_open_input(&opened, path, nil, nil)
        guard code >= 0, let opened else {
            throw InputFile.openError(label: path, code: code, log: log.drain().messages, head: InputFile.head(path: path))
        }
        opened.pointee.opaque = nil
        context = opened
        label = path
        reader = nil
        io = nil
    }

    /// Opens an in-memory buffer, probing its format from the bytes.
    init(data: Data, label: String) throws {
        FFmpegLog.configure
        if data.isEmpty { throw MediaError.notDecodable(path: label, reason: "the data is empty (0 bytes)") }
        let reader = MemoryReader(data: data)
        let io = try reader.makeContext()
        guard let allocated = avformat_alloc_context() else {
            MemoryReader.free(io)
            throw MediaError.ffmpeg(path: label, operation: "avformat_alloc_context", message: "out of memory")
        }
        allocated.pointee.pb = io
        allocated.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        let log = DecoderLog()
        allocated.pointee.opaque = Unmanaged.passUnretained(log).toOpaque()
        var opened: UnsafeMutablePointer<AVFormatContext>? = allocated
        // avformat_open_input frees the context on failure; the custom IO stays ours to free.
        let code = avformat_open_input(&opened, nil, nil, nil)
        guard code >= 0, let opened else {
            MemoryReader.free(io)
            throw InputFile.openError(label: label, code: code, log: log.drain().messages,
                                      head: Array(data.prefix(UnsupportedImageFormat.headLength)))
        }
        opened.pointee.opaque = nil
        context = opened
        self.label = label
        self.reader = reader
        self.io = io
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&owned)
        if let io { MemoryReader.free(io) }
    }

    /// Reads stream parameters that the container header alone does not give (may decode a little).
    func findStreamInfo() throws {
        let code = avformat_find_stream_info(context, nil)
        if code < 0 {
            throw MediaError.notDecodable(path: label, reason: "cannot read stream information: \(FFmpegError.text(for: code))")
        }
    }

    /// The index of the best video stream, or nil when there is none.
    func bestVideoStream() -> Int32? {
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        return index >= 0 ? index : nil
    }

    /// Tells the demuxer to drop every stream but `keep`, so audio and data packets are skipped
    /// (not even read, for containers with an index).
    func discardAllStreams(except keep: Int32) {
        for index in 0..<Int32(context.pointee.nb_streams) where index != keep {
            stream(index)?.pointee.discard = AVDISCARD_ALL
        }
    }

    /// The stream at `index`.
    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, index < Int32(context.pointee.nb_streams) else { return nil }
        return context.pointee.streams[Int(index)]
    }

    /// The demuxer's short name (`mov,mp4,m4a,3gp,3g2,mj2`, `image2`, ...).
    var formatName: String {
        guard let iformat = context.pointee.iformat, let name = iformat.pointee.name else { return "unknown" }
        return String(cString: name)
    }

    /// What failing to open means, from FFmpeg's code, the demuxer's logged reasons and the file's
    /// first bytes (`head`): a format this build cannot read is named (a HEIC photo would otherwise
    /// read as an MP4 without its index), and a truncated MP4 is only called one when the data
    /// begins with an MP4 box (FFmpeg also tries its MP4 demuxer on unrecognisable bytes named `.mp4`,
    /// and then misses the index too).
    static func openError(label: String, code: Int32, log: [String], head: [UInt8]) -> MediaError {
        if code == -EACCES { return .unreadable(path: label, reason: "permission denied") }
        if code == -ENOENT { return .fileNotFound(path: label) }
        if let format = UnsupportedImageFormat.name(head: head) { return .unsupportedFormat(path: label, format: format) }
        let said = log.isEmpty ? "" : "; FFmpeg: " + log.joined(separator: "; ")
        if isMP4Box(head), log.contains(where: { $0.contains("moov atom not found") }) {
            // The MP4/MOV index is written last: a copy cut short, or a recorder stopped before
            // closing the file, leaves the media without it.
            return .notDecodable(path: label, reason: "the MP4/MOV index (moov atom) is missing: the file is truncated or "
                + "its recording was never finalised; the video data may be recoverable with a repair tool (such as "
                + "untrunc) and a healthy file from the same recorder (\(FFmpegError.text(for: code))\(said))")
        }
        return .notDecodable(path: label, reason: "FFmpeg does not recognise the format (\(FFmpegError.text(for: code))\(said))")
    }

    /// Whether the first 8 bytes are an ISO base media (MP4/MOV) box header: a size, then a type
    /// that begins such files (`ftyp`, or media data and padding written before it by some recorders).
    static func isMP4Box(_ head: [UInt8]) -> Bool {
        guard head.count >= 8 else { return false }
        let type = String(decoding: head[4..<8], as: UTF8.self)
        return ["ftyp", "mdat", "free", "skip", "wide", "pnot", "moov"].contains(type)
    }

    /// A file's first `UnsupportedImageFormat.headLength` bytes (fewer, or none, if they cannot be read).
    static func head(path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: UnsupportedImageFormat.headLength)) ?? Data())
    }
}
