import Foundation

/// Writes a file so that readers see either the old complete file or the new complete file, never
/// a half-written one: the bytes go to a temporary file in the same folder, are flushed to disk,
/// and the temporary file is renamed over the target (rename is atomic within one file system).
public enum AtomicFile {
    /// Replaces `url` with `bytes` atomically.
    public static func write(_ bytes: Data, to url: URL) throws {
        try write(to: url) { handle in try handle.write(contentsOf: bytes) }
    }

    /// Replaces `url` with whatever `body` writes to the handle; if `body` throws, the old file is
    /// left untouched and the temporary file removed.
    public static func write(to url: URL, body: (FileHandle) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(url.path, "cannot create folder: \(error.localizedDescription)")
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw ReportError.cannotWrite(url.path, "cannot create a temporary file in \(folder.path)")
        }
        var renamed = false
        defer { if !renamed { try? FileManager.default.removeItem(at: temp) } }
        guard let handle = FileHandle(forWritingAtPath: temp.path) else {
            throw ReportError.cannotWrite(url.path, "cannot open \(temp.path)")
        }
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch let error as ReportError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw ReportError.cannotWrite(url.path, error.localizedDescription)
        }
        guard rename(temp.path, url.path) == 0 else {
            throw ReportError.cannotWrite(url.path, String(cString: strerror(errno)))
        }
        renamed = true
        // Persist the rename itself: without syncing the folder a power loss may still show the old name.
        let fd = open(folder.path, O_RDONLY)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }
}
