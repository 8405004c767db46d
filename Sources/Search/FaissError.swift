import CFaiss
import Common

/// A failed call into FAISS, with the shim's status code and FAISS's own message.
public struct FaissError: UserFacingError, Equatable {
    /// The shim's status code (`CFAISS_ERR_*`).
    public let status: Int32
    /// What facejob was doing, e.g. "search" or "deserialize".
    public let operation: String
    /// FAISS's message for the failure.
    public let message: String

    /// The user-facing text.
    public var description: String { "FAISS \(operation) failed: \(message)" }

    /// A broken or mismatched index is a failure of the command, not of its usage.
    public var exitStatus: ExitStatus { .failure }

    /// Throws when a shim call returned a non-zero status, reading the message on the same thread.
    static func check(_ status: Int32, _ operation: String) throws {
        guard status != CFAISS_OK else { return }
        let message = String(cString: cfaiss_last_error())
        throw FaissError(status: status, operation: operation,
                         message: message.isEmpty ? "status \(status)" : message)
    }
}
