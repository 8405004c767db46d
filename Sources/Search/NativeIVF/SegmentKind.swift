/// Which code built a segment's bytes, and which version of it: FAISS (its library version), or
/// facejob's own IVF (its byte-format version). Stored with every segment, so bytes written by
/// another FAISS build or an older format are recognised before anything tries to read them.
public struct SegmentKind: Sendable, Equatable, CustomStringConvertible {
    /// `faiss` or `facejob-ivf`.
    public let name: String
    /// FAISS's library version, or facejob's IVF format version.
    public let version: String

    /// A kind as stored.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// Debian's libfaiss as linked into this build.
    public static let faiss = SegmentKind(name: "faiss", version: FaissIndex.libraryVersion)
    /// facejob's own IVF in this build's byte format.
    public static let nativeIVF = SegmentKind(name: "facejob-ivf", version: String(NativeIVFLayout.formatVersion))

    /// The kind this build writes for a factory string.
    public static func writing(factory: String) -> SegmentKind {
        NativeIVFFactory.handles(factory) ? .nativeIVF : .faiss
    }

    /// Whether this build reads the bytes: the same kind at the same version.
    public var isReadable: Bool { self == .faiss || self == .nativeIVF }

    /// `faiss 1.7.3`.
    public var description: String { "\(name) \(version)" }
}

/// Factory strings of facejob's own IVF: `NativeIVF<lists>`, e.g. `NativeIVF1024`.
enum NativeIVFFactory {
    static let prefix = "NativeIVF"

    /// Whether facejob builds this factory itself.
    static func handles(_ factory: String) -> Bool { factory.hasPrefix(prefix) }

    /// The number of lists, or nil when the string is not `NativeIVF` followed by a positive number.
    static func lists(in factory: String) -> Int? {
        guard handles(factory), let n = Int(factory.dropFirst(prefix.count)), n > 0 else { return nil }
        return n
    }
}
