import Common
import Foundation
import Reports

/// One input file with the facts that identify its content: size, modification time and SHA-256.
public struct InputFile: Sendable, Equatable {
    /// The resolved input.
    public var input: ResolvedInput
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Modification time, nanoseconds since the epoch (sweeps compare it to find changed files).
    public var modifiedNanoseconds: Int64
    /// SHA-256 of the content.
    public var sha256: String

    /// Creates an input file record.
    public init(input: ResolvedInput, sizeBytes: Int64, modifiedNanoseconds: Int64, sha256: String) {
        self.input = input
        self.sizeBytes = sizeBytes
        self.modifiedNanoseconds = modifiedNanoseconds
        self.sha256 = sha256
    }

    /// Stats and hashes one resolved input (streams the file; memory stays flat).
    public static func fingerprint(_ input: ResolvedInput) throws -> InputFile {
        let before = try FileStat(path: input.path)
        let hash = try SHA256Hex.file(at: input.path)
        let after = try FileStat(path: input.path)
        // A file still being written would get a hash that matches neither its old nor its final bytes.
        guard before == after else { throw InputFileError.changedWhileHashing(input.path) }
        return InputFile(input: input, sizeBytes: after.size, modifiedNanoseconds: after.modifiedNanoseconds, sha256: hash)
    }

    /// Fingerprints every input in order.
    public static func fingerprint(_ inputs: [ResolvedInput]) throws -> [InputFile] {
        try inputs.map(fingerprint)
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
        guard stat(path, &st) == 0 else { throw InputFileError.unreadable(path, String(cString: strerror(errno))) }
        size = Int64(st.st_size)
        modifiedNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }
}

/// An input file that cannot be fingerprinted.
public enum InputFileError: UserFacingError, Equatable {
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
