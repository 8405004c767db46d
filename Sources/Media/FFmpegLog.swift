import CFFmpeg
import Foundation

/// FFmpeg's own log. facejob reports decoding problems itself (`DecodeIssue`, `MediaError`; decoder
/// error lines are collected by `DecoderLog`), so FFmpeg's messages are not printed unless
/// `FACEJOB_FFMPEG_LOG` names a level
/// (`quiet`, `error`, `warning`, `info`, `verbose`, `debug`).
enum FFmpegLog {
    /// Lines at or below this level are printed to standard error.
    nonisolated(unsafe) static var printLevel: Int32 = AV_LOG_QUIET

    /// Applies the level once per process; called before any file is opened.
    static let configure: Void = {
        let levels: [String: Int32] = ["quiet": AV_LOG_QUIET, "error": AV_LOG_ERROR, "warning": AV_LOG_WARNING,
                                       "info": AV_LOG_INFO, "verbose": AV_LOG_VERBOSE, "debug": AV_LOG_DEBUG]
        let requested = ProcessInfo.processInfo.environment["FACEJOB_FFMPEG_LOG"].flatMap { levels[$0.lowercased()] }
        // Error level is needed for decoders to emit the lines DecoderLog collects; printing is
        // decided separately against `printLevel`.
        av_log_set_level(max(requested ?? AV_LOG_QUIET, AV_LOG_ERROR))
        printLevel = requested ?? AV_LOG_QUIET
        av_log_set_callback { avcl, level, format, arguments in
            if let arguments { DecoderLog.handle(avcl, level, format, arguments) }
        }
    }()
}
