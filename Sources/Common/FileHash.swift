import Crypto
import Foundation

/// SHA-256 of files and buffers, as lowercase hex: evidence hashes in reports, dedup keys in the watchlist.
public enum SHA256Hex {
    /// Hashes a file by streaming it in 1 MiB chunks, so memory stays flat for a 10-hour recording.
    public static func file(at path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileHashError.unreadable(path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// Hashes bytes in memory.
    public static func bytes<D: DataProtocol>(_ data: D) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex<S: Sequence>(_ digest: S) -> String where S.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// A file that could not be opened for hashing.
public enum FileHashError: UserFacingError {
    case unreadable(String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read \(path)"
        }
    }

    public var exitStatus: ExitStatus { .failure }
}

/// SHA-256 digests as raw bytes (stored in `bytea` columns beside what they cover).
public enum SHA256Digest {
    /// The 32-byte digest of bytes in memory.
    public static func bytes<D: DataProtocol>(_ data: D) -> [UInt8] {
        Array(SHA256.hash(data: data))
    }
}
