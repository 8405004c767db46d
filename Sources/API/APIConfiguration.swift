import Foundation

/// Everything `facejob serve` is started with.
public struct APIConfiguration: Sendable {
    /// Interface to listen on.
    public var host: String
    /// TCP port; 0 picks a free one (tests).
    public var port: Int
    /// PostgreSQL URL (nil: the store's default, the embedded cluster).
    public var databaseURL: String?
    /// Folders whose files requests may name as `img`.
    public var allowedRoots: [String]
    /// Largest request body in bytes (413 beyond).
    public var maxBodyBytes: Int
    /// Threads of the work pool (detection, embedding, database).
    public var workers: Int
    /// Requests allowed to wait for a worker before 503.
    public var queueLimit: Int
    /// Bearer token required on every route but /healthz (nil: none).
    public var authToken: String?
    /// Allow a non-loopback host without a token.
    public var insecureNoAuth: Bool
    /// Folder of the model files (nil: the catalog's default).
    public var modelsDirectory: String?

    /// A configuration with the documented defaults.
    public init(host: String = "127.0.0.1", port: Int = 5005, databaseURL: String? = nil, allowedRoots: [String] = [],
                maxBodyBytes: Int = 20 << 20, workers: Int = 2, queueLimit: Int = 64, authToken: String? = nil,
                insecureNoAuth: Bool = false, modelsDirectory: String? = nil) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.allowedRoots = allowedRoots
        self.maxBodyBytes = maxBodyBytes
        self.workers = workers
        self.queueLimit = queueLimit
        self.authToken = authToken
        self.insecureNoAuth = insecureNoAuth
        self.modelsDirectory = modelsDirectory
    }

    /// Whether `host` only accepts connections from this machine.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// Refuses settings that cannot work or are unsafe (an open server without a token).
    public func validate() throws {
        guard (0...65535).contains(port) else { throw APIConfigurationError("--port must be in 0...65535, got \(port)") }
        guard maxBodyBytes > 0 else { throw APIConfigurationError("--max-body-mb must be positive") }
        guard workers >= 1 else { throw APIConfigurationError("--workers must be at least 1") }
        if authToken?.isEmpty ?? true, !isLoopback, !insecureNoAuth {
            throw APIConfigurationError("refusing to listen on \(host) without FACEJOB_AUTH_TOKEN; set a token "
                                        + "(or pass --insecure-no-auth if something else guards the port)")
        }
    }
}
