import CFFmpeg

/// A negative return code from an FFmpeg call, with FFmpeg's own text for it.
public struct FFmpegError: Error, CustomStringConvertible, Equatable {
    /// The AVERROR code.
    public let code: Int32
    /// The FFmpeg function that returned it.
    public let operation: String

    /// FFmpeg's description of `code`.
    public var message: String { FFmpegError.text(for: code) }
    /// `operation: message`.
    public var description: String { "\(operation): \(message)" }

    /// True for `AVERROR(EAGAIN)`: the codec wants more input (or output drained) before continuing.
    var isAgain: Bool { code == cffmpeg_averror_eagain() }
    /// True for `AVERROR_EOF`.
    var isEndOfFile: Bool { code == cffmpeg_averror_eof() }

    /// The text av_strerror gives for a code.
    static func text(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        return String(cString: buffer)
    }
}

/// Throws an `FFmpegError` when an FFmpeg call returned a negative code; returns the code otherwise.
@discardableResult
func ffCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    if code < 0 { throw FFmpegError(code: code, operation: operation()) }
    return code
}
