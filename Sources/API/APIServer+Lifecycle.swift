import Logging
import ServiceLifecycle

extension APIServer {
    /// Runs `facejob serve` until SIGTERM or SIGINT, then shuts down gracefully and returns (exit 0):
    /// the HTTP server stops accepting and answers the requests in flight, then the running job
    /// commits its current batch and releases its leases, and the database pool closes. A
    /// `ServiceGroup` shuts its services down in reverse order, so the server drains before the
    /// shared state closes.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: APIServiceShutdown(service: service)),
            .init(service: application(onRunning: onRunning)),
        ]
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The API's shared state as a service: idle while the server runs, and on shutdown (after the HTTP
/// server has drained) stops the jobs at a checkpoint and closes the database pool.
struct APIServiceShutdown: Service {
    let service: APIService

    func run() async throws {
        // Returns on graceful shutdown; cancellation (the server failed) closes the same way.
        try? await gracefulShutdown()
        await service.shutdown()
    }
}
