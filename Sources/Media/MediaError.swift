import Common

/// Why a file could not be opened, decoded or written; each message names the file.
public enum MediaError: UserFacingError, Equatable {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file was read but holds no decodable image or video.
    case notDecodable(path: String, reason: String)
    /// The file is in a format this FFmpeg build cannot read (recognised by its bytes; `format`
    /// names it, such as `HEIC/HEIF`).
    case unsupportedFormat(path: String, format: String)
    /// An FFmpeg call failed on a file that otherwise looked valid.
    case ffmpeg(path: String, operation: String, message: String)
    /// A caller passed an option that makes no sense (bad sampling policy, empty window).
    case invalidOption(String)

    /// The message printed to the user.
    public var description: String {
        switch self {
        case .fileNotFound(let path): return "\(path): no such file"
        case .unreadable(let path, let reason): return "\(path): cannot read the file: \(reason)"
        case .notDecodable(let path, let reason): return "\(path): not a decodable image or video: \(reason)"
        case .unsupportedFormat(let path, let format):
            return "\(path): \(format) images are not supported by this FFmpeg build; convert to JPEG or PNG"
        case .ffmpeg(let path, let operation, let message): return "\(path): \(operation) failed: \(message)"
        case .invalidOption(let message): return message
        }
    }

    /// Bad options are usage errors; everything about the file itself is a failure.
    public var exitStatus: ExitStatus {
        if case .invalidOption = self { return .usage }
        return .failure
    }
}
