/// Where a run reports the progress of its inputs. The command line draws it on the terminal or
/// logs it (`ProgressBoard` in the executable); the REST API and tests pass `SilentProgress`.
/// Workers report concurrently, so implementations must be thread-safe.
public protocol InputProgressReporting: AnyObject, Sendable {
    /// Progress of one input, after each committed batch.
    func update(_ progress: InputProgress)
    /// An input was closed with `status` (and the error that closed it, if any).
    func finish(_ name: String, status: String, error: String?)
    /// A line worth telling the user (a report written, an input taken over).
    func note(_ text: String)
    /// The run is over: the last lines are final.
    func close()
}

/// Reports nothing.
public final class SilentProgress: InputProgressReporting {
    /// A reporter that drops everything.
    public init() {}
    public func update(_ progress: InputProgress) {}
    public func finish(_ name: String, status: String, error: String?) {}
    public func note(_ text: String) {}
    public func close() {}
}
