import Foundation

/// Who is acting, for audit rows: `user@host`.
public enum AuditActor {
    /// The invoking user and host, from the environment (`FACEJOB_ACTOR` overrides).
    public static var current: String {
        let env = ProcessInfo.processInfo.environment
        if let actor = env["FACEJOB_ACTOR"], !actor.isEmpty { return actor }
        let user = env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
