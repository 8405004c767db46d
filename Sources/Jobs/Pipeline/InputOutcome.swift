/// How processing one input ended.
public enum InputOutcome: Sendable, Equatable {
    /// Finished with this status (done, partial or failed) and error text.
    case finished(status: InputStatus, error: String?)
    /// Another worker took the input over (our lease expired); nothing more was committed.
    case leaseLost
    /// Stopped on request (`StopRequest`) after the last batch committed; the lease was released, so
    /// the input is pending again and resumes from that checkpoint.
    case stopped
}
