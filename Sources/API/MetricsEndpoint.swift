import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// A minimal HTTP server with one route, `GET /metrics`, the Prometheus text of a registry:
/// what `facejob worker --metrics-port` serves. `facejob serve` has the same route among its own.
public enum MetricsEndpoint {
    /// The content type of the Prometheus text exposition format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Serves `registry` on `host:port` (port 0: any free port) until the task is cancelled;
    /// `onRunning` receives the bound port. The caller's own signal handling stays in charge.
    public static func run(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(host: host, port: port, registry: registry, logger: logger, onRunning: onRunning)
            .runService(gracefulShutdownSignals: [])
    }

    /// The application serving `registry` on `host:port`; `onRunning` receives the bound port.
    static func application(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { _, _ in response(registry.emitToString()) }
        return Application(router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: port),
                                                                                    serverName: "facejob"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// A 200 response with exposition `text`.
    static func response(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
