import CFFmpeg
import Foundation

/// Serves a `Data` buffer to libavformat through read and seek callbacks, so images sent over HTTP
/// decode through the same path as files without touching the disk.
final class MemoryReader {
    private let data: Data
    private var offset = 0

    init(data: Data) { self.data = data }

    /// Makes an AVIOContext reading from this object; the caller frees it with `free(_:)`.
    func makeContext() throws -> UnsafeMutablePointer<AVIOContext> {
        let size: Int32 = 64 * 1024
        guard let buffer = av_malloc(Int(size))?.assumingMemoryBound(to: UInt8.self) else {
            throw FFmpegError(code: -ENOMEM, operation: "av_malloc")
        }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        guard let context = avio_alloc_context(buffer, size, 0, opaque, { opaque, buf, size in
            guard let opaque, let buf else { return cffmpeg_averror_eof() }
            return Unmanaged<MemoryReader>.fromOpaque(opaque).takeUnretainedValue().read(into: buf, size: Int(size))
        }, nil, { opaque, offset, whence in
            guard let opaque else { return -1 }
            return Unmanaged<MemoryReader>.fromOpaque(opaque).takeUnretainedValue().seek(to: offset, whence: whence)
        }) else {
            av_free(buffer)
            throw FFmpegError(code: -ENOMEM, operation: "avio_alloc_context")
        }
        return context
    }

    /// Frees a context made by `makeContext` together with its buffer.
    static func free(_ context: UnsafeMutablePointer<AVIOContext>) {
        av_freep(&context.pointee.buffer)
        var owned: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&owned)
    }

    private func read(into buffer: UnsafeMutablePointer<UInt8>, size: Int) -> Int32 {
        let count = min(size, data.count - offset)
        guard count > 0 else { return cffmpeg_averror_eof() }
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            buffer.update(from: base + offset, count: count)
        }
        offset += count
        return Int32(count)
    }

    private func seek(to position: Int64, whence: Int32) -> Int64 {
        if whence & AVSEEK_SIZE != 0 { return Int64(data.count) }
        let target: Int64
        switch whence & ~AVSEEK_FORCE {
        case SEEK_SET: target = position
        case SEEK_CUR: target = Int64(offset) + position
        case SEEK_END: target = Int64(data.count) + position
        default: return -1
        }
        guard target >= 0, target <= Int64(data.count) else { return -1 }
        offset = Int(target)
        return target
    }
}
