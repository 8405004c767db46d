import CFFmpeg
import Foundation

/// Collects the error messages a decoder writes to FFmpeg's log. Some damage (a broken macroblock
/// row the decoder conceals) is only ever logged, never returned, so the log is part of reporting.
/// The codec context's `opaque` points here; frame-thread copies of the context share it. A
/// demuxer context's `opaque` may point here too while a file is opened: why an open failed
/// (`moov atom not found`) is only ever logged as well.
final class DecoderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    private var dropped = 0

    /// Takes the messages collected since the last call, and how many were not kept.
    func drain() -> (messages: [String], dropped: Int) {
        lock.lock(); defer { lock.unlock() }
        let result = (messages, dropped)
        messages.removeAll(keepingCapacity: true)
        dropped = 0
        return result
    }

    fileprivate func append(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if messages.count < 1000 { messages.append(message) } else { dropped += 1 }
    }

    /// FFmpeg's log callback: error lines from a decoder that carries a `DecoderLog` are collected;
    /// lines are printed only when `FFmpegLog.printLevel` allows it. Installed by `FFmpegLog.configure`.
    static func handle(_ avcl: UnsafeMutableRawPointer?, _ level: Int32, _ format: UnsafePointer<CChar>?,
                       _ arguments: CVaListPointer) {
        // FFmpeg hands a custom callback every message, its level filter applies only to its own
        // default callback: drop what is neither collected nor printed before formatting it (the
        // MP4 demuxer alone writes a debug line per sample while it builds its index).
        guard level <= AV_LOG_ERROR || level <= FFmpegLog.printLevel else { return }
        var line = [CChar](repeating: 0, count: 1024)
        var printPrefix: Int32 = 1
        av_log_format_line2(avcl, level, format, arguments, &line, Int32(line.count), &printPrefix)
        let text = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines)
        if level <= FFmpegLog.printLevel {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
        guard level <= AV_LOG_ERROR, let avcl else { return }
        // Both contexts start with their AVClass pointer.
        let kind = avcl.assumingMemoryBound(to: UnsafePointer<AVClass>?.self).pointee
        let message = text.replacingOccurrences(of: #"^\[[^\]]*\] "#, with: "", options: .regularExpression)
        if kind == avcodec_get_class() {
            let context = avcl.assumingMemoryBound(to: AVCodecContext.self)
            guard let opaque = context.pointee.opaque else { return }
            let name = context.pointee.codec.flatMap { $0.pointee.name }.map { String(cString: $0) } ?? "decoder"
            Unmanaged<DecoderLog>.fromOpaque(opaque).takeUnretainedValue().append("\(name): \(message)")
        } else if kind == avformat_get_class() {
            guard let opaque = avcl.assumingMemoryBound(to: AVFormatContext.self).pointee.opaque else { return }
            Unmanaged<DecoderLog>.fromOpaque(opaque).takeUnretainedValue().append(message)
        }
    }
}
