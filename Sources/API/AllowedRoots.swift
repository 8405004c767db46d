import Foundation

/// The server folders whose files a request may name as `img`: a path is accepted only when its
/// fully resolved form (symlinks and `..` followed) lies inside one of the resolved roots, so
/// neither `../` nor a symlink can lead out.
public struct AllowedRoots: Sendable {
    /// The roots, resolved.
    public let roots: [String]

    /// Resolves each root; a root that does not exist is a configuration error.
    public init(_ paths: [String]) throws {
        roots = try paths.map { path in
            guard let resolved = Self.resolve(path) else {
                throw APIConfigurationError("allowed root \(path) does not exist")
            }
            return resolved
        }
    }

    /// The resolved path of `path` if it lies inside a root; otherwise 403 (or 400 when nothing is allowed).
    public func check(_ path: String) throws -> String {
        guard !roots.isEmpty else {
            throw APIError(.forbidden, "server paths are not accepted here (start the server with --allowed-root DIR); "
                           + "send the image as a file or a data URI")
        }
        guard path.hasPrefix("/") else { throw APIError(.forbidden, "server path \(path) must be absolute") }
        guard let resolved = Self.resolve(path) else {
            // Do not reveal whether a path outside the roots exists.
            let lexical = URL(fileURLWithPath: path).standardizedFileURL.path
            if roots.contains(where: { Self.isInside(lexical, $0) }) {
                throw APIError(.badRequest, "image file \(path) does not exist")
            }
            throw APIError(.forbidden, "path \(path) is outside the allowed roots")
        }
        guard roots.contains(where: { Self.isInside(resolved, $0) }) else {
            throw APIError(.forbidden, "path \(path) is outside the allowed roots")
        }
        return resolved
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A `facejob serve` setting that cannot work.
public struct APIConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
