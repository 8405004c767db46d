import Foundation
import JSON

/// Validates a sweep definition the way `ManifestValidator` validates a manifest: every problem
/// with its JSON pointer and a hint, unknown keys rejected, exit 64.
public struct SweepValidator: Sendable {
    /// Folder relative roots are resolved against.
    public var baseDirectory: URL
    /// Whether the roots must exist.
    public var checkFiles: Bool

    /// Top-level keys of a sweep definition.
    public static let topLevelKeys = ["$schema", "$comment", "name", "database", "watchlist", "roots", "patterns", "settle_seconds",
                                         "rescan"]
        + JobSettings.keys

    /// Creates a validator.
    public init(baseDirectory: URL, checkFiles: Bool = true) {
        self.baseDirectory = baseDirectory
        self.checkFiles = checkFiles
    }

    /// Reads and validates the definition at `path`; throws `ManifestValidationError` (exit 64).
    public static func load(path: String, checkFiles: Bool = true) throws -> SweepDefinition {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ManifestValidationError(file: path, issues: [ManifestIssue(pointer: "", message: "cannot read \(url.path)")])
        }
        switch SweepValidator(baseDirectory: url.deletingLastPathComponent(), checkFiles: checkFiles).validate(data) {
        case .success(let sweep): return sweep
        case .failure(var error):
            error.file = path
            throw error
        }
    }

    /// Validates definition bytes.
    public func validate(_ data: Data) -> Result<SweepDefinition, ManifestValidationError> {
        let document: JSONParser.Document
        var r = FieldReader()
        switch FieldReader.start(data) {
        case .success(let parsed): (document, r) = parsed
        case .failure(let error): return .failure(error)
        }
        let p = JSONPointer.root
        guard let o = r.object(document.root, at: p, allowed: Self.topLevelKeys) else {
            return .failure(ManifestValidationError(file: nil, issues: r.issues))
        }
        let name = ManifestValidator.jobName(o, key: "name", at: p, reader: &r) ?? ""
        let database = ManifestValidator.databaseURL(o, at: p, reader: &r)
        let watchlist = r.string(o, "watchlist", at: p, required: true) ?? ""
        let roots = self.roots(o, at: p, reader: &r)
        let patterns = self.patterns(o, at: p, reader: &r)
        let settle = r.int(o, "settle_seconds", at: p, range: 0...604_800) ?? SweepDefinition.defaultSettleSeconds
        let s = r.jobSettings(o, at: p, jobName: name)
        var rescan: SweepDefinition.RescanSettings?
        if let v = r.value(o, "rescan", at: p, required: false), let ro = r.object(v, at: p.appending("rescan"), allowed: ["days"]),
           let days = r.int(ro, "days", at: p.appending("rescan"), range: 1...3650, required: true) {
            rescan = SweepDefinition.RescanSettings(days: days)
        }
        guard r.issues.isEmpty else { return .failure(ManifestValidationError(file: nil, issues: r.issues)) }
        return .success(SweepDefinition(name: name, database: database, watchlist: watchlist, roots: roots, patterns: patterns,
                                        settleSeconds: settle, sampling: s.sampling, detector: s.detector, model: s.model,
                                        search: s.search, tracking: s.tracking, report: s.report, workers: s.workers,
                                        rescan: rescan, unknowns: s.unknowns))
    }

    private func roots(_ o: [String: JSONValue], at p: JSONPointer, reader r: inout FieldReader) -> [SweepDefinition.Root] {
        guard let v = r.value(o, "roots", at: p, required: true) else { return [] }
        let rp = p.appending("roots")
        guard case .array(let items) = v, !items.isEmpty else {
            r.add(rp, v.typeName == "array" ? "no roots" : "expected an array of folders, found \(v.typeName)",
                  hint: "for example [\"/srv/footage\", {\"path\": \"/srv/cam2\", \"camera\": \"cam-2\"}]")
            return []
        }
        var out: [SweepDefinition.Root] = []
        for (n, item) in items.enumerated() {
            let ip = rp.appending(n)
            var root: SweepDefinition.Root?
            var pointer = ip
            switch item {
            case .string(let path): root = SweepDefinition.Root(path: path)
            case .object:
                guard let ro = r.object(item, at: ip, allowed: ["path", "camera"]) else { continue }
                pointer = ip.appending("path")
                if let path = r.string(ro, "path", at: ip, required: true) {
                    root = SweepDefinition.Root(path: path, camera: r.string(ro, "camera", at: ip))
                }
            default:
                r.add(ip, "expected a folder path or {\"path\", \"camera\"}, found \(item.typeName)")
            }
            guard let root else { continue }
            if checkFiles {
                let abs = InputResolver.absolutePath(root.path, base: baseDirectory)
                if FileKind.of(abs) != .directory {
                    r.add(pointer, "\(abs) is not a folder",
                          hint: root.path.hasPrefix("/") ? nil : "relative roots are resolved against \(baseDirectory.path)")
                }
            }
            out.append(root)
        }
        return out
    }

    private func patterns(_ o: [String: JSONValue], at p: JSONPointer, reader r: inout FieldReader) -> [String] {
        let pp = p.appending("patterns")
        guard let v = r.value(o, "patterns", at: p, required: false) else { return ["**/*.mp4"] }
        guard case .array(let items) = v, !items.isEmpty else {
            r.add(pp, v.typeName == "array" ? "no patterns" : "expected an array of globs, found \(v.typeName)",
                  hint: "for example [\"**/*.mp4\", \"**/*.mkv\"]")
            return []
        }
        var out: [String] = []
        for (n, item) in items.enumerated() {
            guard case .string(let s) = item else {
                r.add(pp.appending(n), "expected a glob string, found \(item.typeName)")
                continue
            }
            if s.hasPrefix("/") {
                r.add(pp.appending(n), "patterns are relative to each root", hint: "put the folder in `roots` and the rest here")
                continue
            }
            do {
                _ = try Glob(s)
                out.append(s)
            } catch let e as Glob.PatternError {
                r.add(pp.appending(n), "bad glob `\(s)`: \(e.message)")
            } catch {
                r.add(pp.appending(n), "bad glob `\(s)`")
            }
        }
        return out
    }
}
