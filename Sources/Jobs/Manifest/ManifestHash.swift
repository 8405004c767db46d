import Common
import Foundation
import JSON

/// The job-identity hash of a manifest: SHA-256 of its canonical JSON, so layout, key order and
/// number spelling do not matter. `workers`, `database`, `$schema` and `$comment` are left out
/// because they change how and where a job runs, not what it finds: raising `workers` and
/// rerunning a killed job resumes it instead of starting a new one.
public enum ManifestHash {
    /// Top-level keys that do not take part in the job's identity.
    public static let excludedKeys: Set<String> = ["workers", "database", "$schema", "$comment"]

    /// Lowercase hex SHA-256 of the canonical form of `root`.
    public static func compute(_ root: JSONValue) -> String {
        var identity = root
        if case .object(let members) = root {
            identity = .object(members.filter { !excludedKeys.contains($0.key) })
        }
        return SHA256Hex.bytes(Array(CanonicalJSON.text(identity).utf8))
    }

    /// The identity of a manifest file in `base`: the footage it reads and the folder it writes
    /// are part of what a job is. Relative input paths and globs and the report folder (its
    /// default `reports/<name>` when absent) are resolved against `base` before hashing, so the
    /// same manifest copied into another case folder or checkout is another job, while a manifest
    /// that spells every location absolutely keeps the hash of its text.
    public static func compute(_ root: JSONValue, resolvingAgainst base: URL) -> String {
        compute(resolvingLocations(root, base: base))
    }

    /// `root` with `inputs[].path`, `inputs[].glob` and `report.directory` made absolute.
    static func resolvingLocations(_ root: JSONValue, base: URL) -> JSONValue {
        guard case .object(var members) = root else { return root }
        func absolute(_ path: String) -> String { InputResolver.absolutePath(path, base: base) }
        for (i, member) in members.enumerated() where member.key == "inputs" {
            guard case .array(let inputs) = member.value else { continue }
            members[i].value = .array(inputs.map { input in
                guard case .object(var fields) = input else { return input }
                for (j, field) in fields.enumerated() {
                    guard case .string(let location) = field.value, !location.hasPrefix("/") else { continue }
                    if field.key == "path" { fields[j].value = .string(absolute(location)) }
                    if field.key == "glob" { fields[j].value = .string(anchoredGlob(location, base: base)) }
                }
                return .object(fields)
            })
        }
        guard case .string(let name) = root["name"] else { return .object(members) }
        let defaultDirectory = JSONValue.string(absolute(ReportSettings.defaultDirectory(jobName: name)))
        guard let r = members.firstIndex(where: { $0.key == "report" }) else {
            members.append(JSONMember(key: "report", value: .object([JSONMember(key: "directory", value: defaultDirectory)])))
            return .object(members)
        }
        guard case .object(var report) = members[r].value else { return .object(members) }
        if let d = report.firstIndex(where: { $0.key == "directory" }) {
            if case .string(let directory) = report[d].value, !directory.hasPrefix("/") {
                report[d].value = .string(absolute(directory))
            }
        } else {
            report.append(JSONMember(key: "directory", value: defaultDirectory))
        }
        members[r].value = .object(report)
        return .object(members)
    }

    /// A relative glob made absolute: its folders before the first wildcard are resolved like a
    /// path (`..` and `.` included), the rest keeps its wildcards.
    static func anchoredGlob(_ pattern: String, base: URL) -> String {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let wild = parts.firstIndex { $0.contains(where: { "*?[".contains($0) }) } ?? parts.count - 1
        let folder = parts[..<wild].joined(separator: "/")
        let anchor = folder.isEmpty ? base.standardizedFileURL.path : InputResolver.absolutePath(folder, base: base)
        return (anchor == "/" ? "" : anchor) + "/" + parts[wild...].joined(separator: "/")
    }
}
