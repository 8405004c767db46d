import API
import Common
import Foundation
import Logging

/// The `GET /metrics` endpoint of a command that has no HTTP server of its own (`facejob worker`),
/// serving the process's registry.
enum MetricsListener {
    /// Binds `host:port` (0: any free port) and serves on a task of its own until the process
    /// ends; says where once bound. Throws when the address cannot be bound.
    static func start(host: String, port: Int, command: String) async throws {
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await MetricsEndpoint.run(host: host, port: port, registry: Observability.registry,
                                          logger: Logger(label: "facejob.metrics")) { continuation.yield($0) }
        }
        for await port in bound {
            Observability.tell("facejob \(command): metrics on http://\(host):\(port)/metrics", message: "serving metrics",
                               level: .notice, metadata: ["address": .string("http://\(host):\(port)/metrics")])
            return
        }
        if case .failure(let error) = await task.result {
            throw MetricsListenerError(address: "\(host):\(port)", reason: "\(error)")
        }
        throw MetricsListenerError(address: "\(host):\(port)", reason: "the server stopped before it was listening")
    }
}

/// The metrics address could not be served (exit 69).
struct MetricsListenerError: UserFacingError {
    let address: String
    let reason: String
    var exitStatus: ExitStatus { .unavailable }
    var description: String { "cannot serve metrics on \(address) (--metrics-host, --metrics-port): \(reason)" }
}
