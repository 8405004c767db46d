import API
import ArgumentParser
import Common
import FaceEngine
import Foundation

/// `facejob serve`: Serve register / build-index / search / verify / jobs over HTTP.
struct ServeCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve register / build-index / search / verify / represent over HTTP (DeepFace-compatible).",
        discussion: """
        Routes: POST /register, /build/index, /search, /verify, /represent; GET/DELETE \
        /watchlists/{w}/identities[/{id}]; GET /healthz, /metrics. Every route but /healthz needs \
        `Authorization: Bearer $FACEJOB_AUTH_TOKEN` when the variable is set; a non-loopback --host \
        requires it. Stateless: run as many servers on one database as you like. SIGTERM or SIGINT \
        stops it gracefully: no new connections, requests in flight answered, the running job stopped \
        at a committed checkpoint with its leases released, then exit 0. See docs/api.md.
        """)

    @Option(help: "Interface to listen on.") var host = "127.0.0.1"
    @Option(help: "TCP port (0: any free port).") var port = 5005
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions
    @Option(name: .customLong("allowed-root"), help: "Folder whose files requests may name as img (repeatable).")
    var allowedRoots: [String] = []
    @Option(help: "Largest request body in MiB (413 beyond).") var maxBodyMb = 20
    @Option(help: "Worker threads for detection, embedding and database work.") var workers = AvailableCores.count
    @Option(help: "Requests allowed to wait for a worker before 503 (Retry-After).") var queue = 64
    @Flag(help: "Allow a non-loopback --host without FACEJOB_AUTH_TOKEN (only behind another guard).") var insecureNoAuth = false

    func run() async throws {
        try await mapErrors {
            BLASThreads.set(1)
            let configuration = APIConfiguration(
                host: host, port: port, databaseURL: database.url, allowedRoots: allowedRoots,
                maxBodyBytes: maxBodyMb << 20, workers: workers, queueLimit: queue,
                authToken: ProcessInfo.processInfo.environment["FACEJOB_AUTH_TOKEN"], insecureNoAuth: insecureNoAuth)
            let service: APIService
            do {
                service = try APIService(configuration: configuration, registry: Observability.registry)
            } catch let error as APIConfigurationError {
                throw ValidationError(error.description)
            }
            try await APIServer(service: service).run { port in
                Observability.tell("facejob serve: listening on \(host):\(port)", message: "listening on \(host):\(port)",
                                   level: .notice, metadata: ["host": .string(host), "port": .stringConvertible(port)])
            }
            Observability.tell("facejob serve: stopped gracefully", message: "stopped gracefully", level: .notice)
        }
    }
}
