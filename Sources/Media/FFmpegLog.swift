import CFFmpeg
import Foundation

/// FFmpeg's own log. facejob reports decoding problems itself (`DecodeIssue`, `MediaError`), so
/// FFmpeg's messages are silenced unless `FACEJOB_FFMPEG_LOG` names a level
/// (`quiet`, `error`, `warning`, `info`, `verbose`, `debug`).
enum FFmpegLog {
    /// Applies the level once per process; called before any file is opened.
    static let configure: Void = {
        let levels: [String: Int32] = ["quiet": AV_LOG_QUIET, "error": AV_LOG_ERROR, "warning": AV_LOG_WARNING,
                                       "info": AV_LOG_INFO, "verbose": AV_LOG_VERBOSE, "debug": AV_LOG_DEBUG]
        let requested = ProcessInfo.processInfo.environment["FACEJOB_FFMPEG_LOG"].flatMap { levels[$0.lowercased()] }
        av_log_set_level(requested ?? AV_LOG_QUIET)
    }()
}
