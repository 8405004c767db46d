import Common

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
}
