/// Exit codes are part of facejob's interface: cron and scripts read them.
public enum ExitStatus: Int32, Sendable {
    /// Everything requested was done.
    case success = 0
    /// The command failed.
    case failure = 1
    /// Some inputs failed or were corrupt; what could be done was done and reported.
    case partial = 2
    /// Bad manifest or bad usage.
    case usage = 64
    /// A dependency (database, model files, libraries) is unavailable.
    case unavailable = 69
    /// Another process holds the lock; try later.
    case locked = 75
}

/// An error with a message meant for the user and the exit status it maps to.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// The exit status the command-line tool returns for this error.
    var exitStatus: ExitStatus { get }
}
