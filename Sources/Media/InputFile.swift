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
        var opened: UnsafeMutablePointer<AVFormatContext>?
        let code = avformat_open_input(&opened, path, nil, nil)
        guard code >= 0, let opened else {
            throw InputFile.openError(label: path, code: code)
        }
        context = opened
        label = path
        reader = nil
        io = nil
    }

    /// Opens an in-memory buffer, probing its format from the bytes.
    init(data: Data, label: String) throws {
        if data.isEmpty { throw MediaError.notDecodable(path: label, reason: "the data is empty (0 bytes)") }
        let reader = MemoryReader(data: data)
        let io = try reader.makeContext()
        guard let allocated = avformat_alloc_context() else {
            MemoryReader.free(io)
            throw MediaError.ffmpeg(path: label, operation: "avformat_alloc_context", message: "out of memory")
        }
        allocated.pointee.pb = io
        allocated.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var opened: UnsafeMutablePointer<AVFormatContext>? = allocated
        // avformat_open_input frees the context on failure; the custom IO stays ours to free.
        let code = avformat_open_input(&opened, nil, nil, nil)
        guard code >= 0, let opened else {
            MemoryReader.free(io)
            throw InputFile.openError(label: label, code: code)
        }
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

    private static func openError(label: String, code: Int32) -> MediaError {
        if code == -EACCES { return .unreadable(path: label, reason: "permission denied") }
        if code == -ENOENT { return .fileNotFound(path: label) }
        return .notDecodable(path: label, reason: "FFmpeg does not recognise the format (\(FFmpegError.text(for: code)))")
    }
}
