import Common
import HTTPTypes

/// A request the API refuses or cannot serve: the HTTP status and the message sent back as
/// `{"error": "..."}` (never a stack trace).
public struct APIError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The message for the client.
    public let message: String
    /// Seconds the client should wait before retrying (503 only).
    public let retryAfter: Int?

    /// An error with a status and message.
    public init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The message.
    public var description: String { message }

    /// 400 with a message.
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
}
