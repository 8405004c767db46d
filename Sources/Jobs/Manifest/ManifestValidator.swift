import Foundation
import JSON
import Reports

/// Checks a manifest completely (types, ranges, unknown keys, input files) and builds the typed
/// model. Every problem is collected with its JSON pointer; nothing is written anywhere.
public struct ManifestValidator: Sendable {
    /// Folder that relative paths in the manifest are resolved against.
    public var baseDirectory: URL
    /// Whether inputs must exist (turned off to validate a manifest written for another machine).
    public var checkFiles: Bool

    /// Top-level keys of a manifest.
    public static let topLevelKeys = ["$schema", "$comment", "name", "database", "watchlist", "inputs"] + JobSettings.keys

    /// Creates a validator.
    public init(baseDirectory: URL, checkFiles: Bool = true) {
        self.baseDirectory = baseDirectory
        self.checkFiles = checkFiles
    }

    /// Reads and validates the manifest file at `path`; throws `ManifestValidationError` (exit 64).
    public static func load(path: String, checkFiles: Bool = true) throws -> ValidatedManifest {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ManifestValidationError(file: path, issues: [ManifestIssue(pointer: "", message: "cannot read \(url.path)")])
        }
        let validator = ManifestValidator(baseDirectory: url.deletingLastPathComponent(), checkFiles: checkFiles)
        switch validator.validate(data) {
        case .success(let manifest): return manifest
        case .failure(var error):
            error.file = path
            throw error
        }
    }

    /// Validates manifest bytes.
    public func validate(_ data: Data) -> Result<ValidatedManifest, ManifestValidationError> {
        let document: JSONParser.Document
        var reader = FieldReader()
        switch FieldReader.start(data) {
        case .success(let parsed): (document, reader) = parsed
        case .failure(let error): return .failure(error)
        }
        var indexedInputs: [(Int, InputSpec)] = []
        let manifest = build(document.root, reader: &reader, indexedInputs: &indexedInputs)
        var inputs: [ResolvedInput] = []
        if manifest != nil, checkFiles {
            inputs = InputResolver.resolve(indexedInputs, base: baseDirectory, at: JSONPointer.root.appending("inputs"), reader: &reader)
        }
        guard reader.issues.isEmpty, let manifest else {
            return .failure(ManifestValidationError(file: nil, issues: reader.issues))
        }
        return .success(ValidatedManifest(manifest: manifest, hash: ManifestHash.compute(document.root, resolvingAgainst: baseDirectory),
                                          baseDirectory: baseDirectory, inputs: inputs))
    }

    /// Builds the typed manifest; nil only when the root is not an object. Issues go to `reader`.
    func build(_ root: JSONValue, reader: inout FieldReader, indexedInputs: inout [(Int, InputSpec)]) -> Manifest? {
        let p = JSONPointer.root
        guard let o = reader.object(root, at: p, allowed: Self.topLevelKeys) else { return nil }
        let name = Self.jobName(o, key: "name", at: p, reader: &reader) ?? ""
        let database = Self.databaseURL(o, at: p, reader: &reader)
        let watchlist = reader.string(o, "watchlist", at: p, required: true) ?? ""
        if let v = reader.value(o, "inputs", at: p, required: true) {
            indexedInputs = Self.inputs(v, at: p.appending("inputs"), reader: &reader)
        }
        let inputs = indexedInputs.map(\.1)
        let s = reader.jobSettings(o, at: p, jobName: name)
        return Manifest(name: name, database: database, watchlist: watchlist, inputs: inputs, sampling: s.sampling,
                        detector: s.detector, model: s.model, search: s.search, tracking: s.tracking,
                        report: s.report, workers: s.workers, unknowns: s.unknowns)
    }

    /// A job or sweep name: it names folders and log lines, so it stays a plain token.
    static func jobName(_ o: [String: JSONValue], key: String, at p: JSONPointer, reader: inout FieldReader) -> String? {
        guard let name = reader.string(o, key, at: p, required: true) else { return nil }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard name.count <= 100, name.unicodeScalars.allSatisfy(allowed.contains), name.first != ".", name.first != "-" else {
            reader.add(p.appending(key), "`\(name)` is not a valid name",
                       hint: "use up to 100 letters, digits, `.`, `_` or `-`, not starting with `.` or `-`, e.g. case-1142")
            return nil
        }
        return name
    }

    static func databaseURL(_ o: [String: JSONValue], at p: JSONPointer, reader: inout FieldReader) -> String? {
        guard let url = reader.string(o, "database", at: p) else { return nil }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            reader.add(p.appending("database"), "expected a PostgreSQL URL",
                       hint: "for example postgres://user@host:5432/facejob, or leave it out for the embedded database")
            return nil
        }
        return url
    }

    /// The well-formed entries of `inputs`, each with its index in the manifest (for pointers).
    static func inputs(_ v: JSONValue, at p: JSONPointer, reader: inout FieldReader) -> [(Int, InputSpec)] {
        guard case .array(let items) = v else {
            reader.add(p, "expected an array of inputs, found \(v.typeName)",
                       hint: "for example [{\"path\": \"cam1.mp4\"}, {\"glob\": \"footage/**/*.mp4\"}]")
            return []
        }
        if items.isEmpty {
            reader.add(p, "no inputs", hint: "add at least one {\"path\": …} or {\"glob\": …}")
        }
        var out: [(Int, InputSpec)] = []
        for (n, item) in items.enumerated() {
            let ip = p.appending(n)
            if case .string(let bare) = item {
                reader.add(ip, "expected an object, found string", hint: "write {\"path\": \"\(bare)\"} or {\"glob\": \"\(bare)\"}")
                continue
            }
            guard let o = reader.object(item, at: ip, allowed: ["path", "glob", "camera", "recorded_at", "recorded_at_from_name"]) else { continue }
            let path = reader.string(o, "path", at: ip)
            let glob = reader.string(o, "glob", at: ip)
            let camera = reader.string(o, "camera", at: ip)
            var start: RecordingStart?
            if let text = reader.string(o, "recorded_at", at: ip) {
                start = RecordingStart(rfc3339: text)
                if start == nil {
                    reader.add(ip.appending("recorded_at"), "`\(text)` is not an RFC 3339 time with a UTC offset",
                               hint: "expected RFC 3339 like 2026-11-29T03:00:00Z or 2026-11-29T04:00:00.500+01:00, years 1900–2200")
                }
            }
            let hasPath = o["path"].map { $0 != .null } ?? false
            let hasGlob = o["glob"].map { $0 != .null } ?? false
            if hasPath && hasGlob {
                reader.add(ip, "give either `path` or `glob`, not both")
            } else if !hasPath && !hasGlob {
                reader.add(ip, "missing `path` or `glob`", hint: "for example {\"path\": \"cam1.mp4\"}")
            }
            if hasGlob, o["recorded_at"].map({ $0 != .null }) ?? false {
                reader.add(ip.appending("recorded_at"), "`recorded_at` needs a single file, but this entry is a glob",
                           hint: "list each recording as its own {\"path\": …, \"recorded_at\": …}, or read each file's start "
                               + "from its name: \"recorded_at_from_name\": {\"pattern\": \"%Y%m%d_%H%M%S\", \"utc_offset\": \"+01:00\"}")
            }
            let fromName = fileNameTime(o, at: ip, reader: &reader)
            if hasPath, fromName != nil {
                reader.add(ip.appending("recorded_at_from_name"), "`recorded_at_from_name` applies to the files of a glob",
                           hint: "give this file its start with \"recorded_at\": \"2026-11-29T03:00:00+01:00\"")
            }
            if let path { out.append((n, InputSpec(source: .path(path), camera: camera, recordedAt: start))) }
            else if let glob {
                out.append((n, InputSpec(source: .glob(glob), camera: camera, recordedAt: start, recordedAtFromName: fromName)))
            }
        }
        return out
    }

    /// `recorded_at_from_name`: `{"pattern": "%Y%m%d_%H%M%S", "utc_offset": "+01:00"}`.
    static func fileNameTime(_ o: [String: JSONValue], at ip: JSONPointer, reader: inout FieldReader) -> FileNameTime? {
        guard let v = reader.value(o, "recorded_at_from_name", at: ip, required: false) else { return nil }
        let fp = ip.appending("recorded_at_from_name")
        guard let f = reader.object(v, at: fp, allowed: ["pattern", "utc_offset"]) else { return nil }
        let pattern = reader.string(f, "pattern", at: fp, required: true)
        let offset = reader.string(f, "utc_offset", at: fp, required: true)
        guard let pattern, let offset else { return nil }
        do {
            return try FileNameTime(pattern: pattern, utcOffset: offset)
        } catch let e as FileNameTimeError {
            let key = e.message.contains("UTC offset") ? "utc_offset" : "pattern"
            reader.add(fp.appending(key), e.message,
                       hint: key == "pattern" ? "for cam3_20261128_220000.mp4 write \"%Y%m%d_%H%M%S\"" : nil)
        } catch {
            reader.add(fp, "\(error)")
        }
        return nil
    }
}
