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
        let f = try FileFingerprint(path: input.path)
        return InputFile(input: input, sizeBytes: f.sizeBytes, modifiedNanoseconds: f.modifiedNanoseconds, sha256: f.sha256)
    }

    /// Fingerprints every input in order.
    public static func fingerprint(_ inputs: [ResolvedInput]) throws -> [InputFile] {
        try inputs.map(fingerprint)
    }
}
