import Common
import Foundation

/// `facejob verify-export case.tar`: every file of a case export checked against its SHA256SUMS.
public struct ExportVerification: Encodable, Sendable {
    /// Files whose bytes match.
    public var matching: Int
    /// Files whose bytes differ from their recorded SHA-256.
    public var changed: [String]
    /// Files SHA256SUMS lists that the archive lacks.
    public var missing: [String]
    /// Files in the archive that SHA256SUMS does not list.
    public var unlisted: [String]

    /// True when every listed file is present and unchanged and nothing was added.
    public var passed: Bool { changed.isEmpty && missing.isEmpty && unlisted.isEmpty }

    /// Reads the archive and checks it.
    public static func check(_ url: URL) throws -> ExportVerification {
        let entries = try TarReader.entries(of: url)
        guard let sums = entries.first(where: { $0.path.hasSuffix("/SHA256SUMS") && $0.path.split(separator: "/").count == 2 }) else {
            throw ExportError.notAnExport(url.path)
        }
        let root = String(sums.path.dropLast("SHA256SUMS".count))
        var listed: [String: String] = [:]
        for line in String(decoding: sums.contents, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 64 else { throw ExportError.notAnExport(url.path) }
            listed[root + String(parts[1].drop { $0 == " " })] = String(parts[0])
        }
        var result = ExportVerification(matching: 0, changed: [], missing: [], unlisted: [])
        var seen = Set<String>()
        for entry in entries where entry.path != sums.path {
            seen.insert(entry.path)
            guard let expected = listed[entry.path] else {
                result.unlisted.append(entry.path)
                continue
            }
            if SHA256Hex.bytes(entry.contents) == expected { result.matching += 1 } else { result.changed.append(entry.path) }
        }
        result.missing = listed.keys.filter { !seen.contains($0) }.sorted()
        return result
    }

    enum CodingKeys: String, CodingKey { case matching, changed, missing, unlisted, passed }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(matching, forKey: .matching)
        try c.encode(changed, forKey: .changed)
        try c.encode(missing, forKey: .missing)
        try c.encode(unlisted, forKey: .unlisted)
        try c.encode(passed, forKey: .passed)
    }
}

/// Exports that cannot be written or read.
public enum ExportError: UserFacingError, Equatable {
    /// The target exists and --force was not given.
    case targetExists(String)
    /// The job has not finished.
    case unfinished(Int64, String)
    /// The file is not a facejob case export.
    case notAnExport(String)

    public var description: String {
        switch self {
        case .targetExists(let path): return "\(path) exists; give --force to replace it"
        case .unfinished(let id, let status): return "job \(id) is \(status); only a finished job can be exported"
        case .notAnExport(let path): return "\(path) is not a facejob case export (no SHA256SUMS in its folder)"
        }
    }

    public var exitStatus: ExitStatus { .usage }
}
