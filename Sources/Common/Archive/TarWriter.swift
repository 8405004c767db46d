import Foundation

/// Writes a POSIX ustar archive of regular files, deterministically: entries in the order given,
/// mode 0644, owner 0, mtime 0, so the same files always make the same bytes. Paths up to 255
/// bytes (split into ustar's prefix and name at a `/`).
public final class TarWriter {
    private let handle: FileHandle
    private var closed = false

    /// Creates (or truncates) `url` and opens it for writing.
    public init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw TarError.cannotWrite(url.path)
        }
        handle = try FileHandle(forWritingTo: url)
    }

    deinit { if !closed { try? handle.close() } }

    /// Adds a file at `path` (relative, `/`-separated) with `contents`.
    public func add(path: String, contents: Data) throws {
        try handle.write(contentsOf: try Self.header(path: path, size: contents.count))
        try handle.write(contentsOf: contents)
        let padding = (512 - contents.count % 512) % 512
        if padding > 0 { try handle.write(contentsOf: Data(count: padding)) }
    }

    /// Writes the two zero blocks that end an archive and closes the file.
    public func finish() throws {
        try handle.write(contentsOf: Data(count: 1024))
        try handle.synchronize()
        try handle.close()
        closed = true
    }

    static func header(path: String, size: Int) throws -> Data {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw TarError.badPath(path)
        }
        var name = bytes, prefix: [UInt8] = []
        if bytes.count > 100 {
            // Split at a '/' so that the name part fits 100 bytes and the prefix 155.
            guard let cut = bytes.indices.last(where: { bytes[$0] == UInt8(ascii: "/") && bytes.count - $0 - 1 <= 100 && $0 <= 155 })
            else { throw TarError.badPath(path) }
            prefix = Array(bytes[..<cut])
            name = Array(bytes[(cut + 1)...])
        }
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int) { for (i, b) in field.enumerated() { h[offset + i] = b } }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put(Array("        ".utf8), at: 148)
        h[156] = UInt8(ascii: "0")
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        let sum = h.reduce(0) { $0 + Int($1) }
        put(Array((String(repeating: "0", count: max(0, 6 - String(sum, radix: 8).count)) + String(sum, radix: 8)).utf8) + [0, 0x20],
            at: 148)
        return Data(h)
    }
}

/// Archives that cannot be written or read.
public enum TarError: Error, Equatable, CustomStringConvertible {
    /// The archive file cannot be created.
    case cannotWrite(String)
    /// A path an archive may not hold (absolute, `..`, too long).
    case badPath(String)
    /// Not a tar archive, or cut short.
    case malformed(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write \(path)"
        case .badPath(let path): return "\"\(path)\" cannot be stored in an archive (absolute, `..` or too long)"
        case .malformed(let why): return "not a readable tar archive: \(why)"
        }
    }
}
