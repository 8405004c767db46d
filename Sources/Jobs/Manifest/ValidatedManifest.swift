import Foundation

/// A manifest that passed validation: the typed model, its identity hash and its input files.
public struct ValidatedManifest: Sendable, Equatable {
    /// The typed manifest with defaults filled in.
    public var manifest: Manifest
    /// SHA-256 of the manifest's canonical form with its locations resolved (see `ManifestHash`).
    public var hash: String
    /// The folder relative paths are resolved against (the manifest's folder).
    public var baseDirectory: URL
    /// Input files after glob expansion, in manifest order, globs sorted; empty when files were not checked.
    public var inputs: [ResolvedInput]

    /// The report folder as an absolute URL.
    public var reportDirectory: URL {
        let d = manifest.report.directory
        return d.hasPrefix("/") ? URL(fileURLWithPath: d).standardizedFileURL
            : baseDirectory.appendingPathComponent(d).standardizedFileURL
    }
}
