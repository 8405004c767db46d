import Foundation

/// What identifies a file's content as evidence: its size, modification time and SHA-256, taken
/// so that a file still being written is refused rather than given a hash of half its bytes.
/// Jobs record it for every input; a rerun or a later rescan compares it.
public struct FileFingerprint: Sendable, Equatable {
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Modification time, nanoseconds since the epoch.
    public var modifiedNanoseconds: Int64
    /// SHA-256 of the content, lowercase hex.
    public var sha256: String

    /// Stats and hashes the file at `path` (streamed: memory stays flat).
    public init(path: String) throws {
        let before = try FileStat(path: path)
        let hash = try SHA256Hex.file(at: path)
        let after = try FileStat(path: path)
        // A file still being written would get a hash that matches neither its old nor its final bytes.
        guard before == after else { throw FileFingerprintError.changedWhileHashing(path) }
        sizeBytes = after.size
        modifiedNanoseconds = after.modifiedNanoseconds
        sha256 = hash
    }
}

/// Size and modification time of a file, from `stat`.
public struct FileStat: Sendable, Equatable {
    /// Size in bytes.
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var modifiedNanoseconds: Int64

    /// Stats `path` (following symlinks).
    public init(path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw FileFingerprintError.unreadable(path, String(cString: strerror(errno))) }
        size = Int64(st.st_size)
        modifiedNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }
}

/// A file that cannot be fingerprinted.
public enum FileFingerprintError: UserFacingError, Equatable {
    /// The file cannot be read (path, reason).
    case unreadable(String, String)
    /// The file changed size or time while it was hashed.
    case changedWhileHashing(String)

    public var description: String {
        switch self {
        case .unreadable(let p, let why): return "cannot read input \(p): \(why)"
        case .changedWhileHashing(let p): return "input \(p) changed while it was being hashed; is it still being written?"
        }
    }

    public var exitStatus: ExitStatus { .failure }
}
