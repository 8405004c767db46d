import Foundation
import JSON

/// Turns the manifest's `inputs` entries into concrete files, reporting what does not exist and
/// what matches nothing. A file named by a `path` entry takes that entry's camera and start time
/// and is skipped by globs (so one recording of a folder can get its own `recorded_at`); a file
/// named by two `path` entries or matched by two globs is an error, since its camera or start
/// time would be ambiguous.
enum InputResolver {
    /// Resolves inputs given with their manifest indices; problems go to `reader`.
    static func resolve(_ specs: [(Int, InputSpec)], base: URL, at p: JSONPointer, reader: inout FieldReader) -> [ResolvedInput] {
        var out: [ResolvedInput] = []
        var owner: [String: Int] = [:]
        var explicit = Set<String>()
        for (_, spec) in specs {
            if case .path(let path) = spec.source { explicit.insert(absolutePath(path, base: base)) }
        }
        for (n, spec) in specs {
            let ip = p.appending(n)
            var paths: [String] = []
            switch spec.source {
            case .path(let path):
                let pp = ip.appending("path")
                let absolute = absolutePath(path, base: base)
                switch FileKind.of(absolute) {
                case .file:
                    if access(absolute, R_OK) == 0 { paths = [absolute] } else { reader.add(pp, "\(absolute) is not readable") }
                case .directory:
                    reader.add(pp, "\(absolute) is a folder, not a file", hint: "use \"glob\": \"\(path.hasSuffix("/") ? path : path + "/")**/*.mp4\" to take the videos inside it")
                case .missing:
                    reader.add(pp, "no such file: \(absolute)", hint: path.hasPrefix("/") ? nil : "relative paths are resolved against the manifest's folder \(base.path)")
                default:
                    reader.add(pp, "\(absolute) is not a regular file")
                }
            case .glob(let pattern):
                let gp = ip.appending("glob")
                do {
                    let glob = try Glob(pattern)
                    let matched = glob.expand(base: base)
                    paths = matched.filter { !explicit.contains($0) }
                    if matched.isEmpty {
                        reader.add(gp, "`\(pattern)` matches no file",
                                   hint: pattern.hasPrefix("/") ? "wildcards do not match hidden files; `**` does not follow symlinked folders"
                                       : "relative globs are resolved against the manifest's folder \(base.path)")
                    }
                } catch let e as Glob.PatternError {
                    reader.add(gp, "bad glob `\(pattern)`: \(e.message)")
                } catch {
                    reader.add(gp, "bad glob `\(pattern)`")
                }
            }
            for path in paths {
                if let first = owner[path] {
                    reader.add(ip, "\(path) is already named by \(p.appending(first))",
                               hint: "name each file once so its camera and start time are unambiguous")
                    continue
                }
                owner[path] = n
                var start = spec.recordedAt, source: String? = nil
                if let fromName = spec.recordedAtFromName {
                    let name = (path as NSString).lastPathComponent
                    start = fromName.start(fileName: name)
                    source = fromName.sourceDescription
                    if start == nil {
                        // A file without a readable start would silently lose its wall-clock times.
                        reader.add(ip.appending("recorded_at_from_name"),
                                   "`\(name)` has no valid timestamp matching `\(fromName.pattern)` (\(path))",
                                   hint: "narrow the glob to the recorder's files, or list this file as its own {\"path\": …}")
                        continue
                    }
                }
                out.append(ResolvedInput(path: path, specIndex: n, camera: spec.camera, recordedAt: start,
                                         recordedAtSource: source))
            }
        }
        return out
    }

    static func absolutePath(_ path: String, base: URL) -> String {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).standardizedFileURL.path
            : base.appendingPathComponent(path).standardizedFileURL.path
    }
}

extension ValidatedManifest {
    /// Expands `manifest.inputs` again against the file system (e.g. when a job resumes later);
    /// throws `ManifestValidationError` if a file has disappeared or a glob matches nothing now.
    public static func resolveInputs(_ manifest: Manifest, base: URL) throws -> [ResolvedInput] {
        var reader = FieldReader()
        let resolved = InputResolver.resolve(Array(manifest.inputs.enumerated()), base: base,
                                             at: JSONPointer.root.appending("inputs"), reader: &reader)
        guard reader.issues.isEmpty else { throw ManifestValidationError(file: nil, issues: reader.issues) }
        return resolved
    }
}
