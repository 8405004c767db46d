import Common
import FaceEngine
import Foundation
import Jobs
import Media
import Postgres
import Prometheus
import Search
import Store
import Watchlist

/// What the routes share: configuration, the work pool, database connections, the loaded models
/// and the metrics. Every handler is parse + validate → library call on the pool → response.
public final class APIService: @unchecked Sendable {
    /// The settings.
    public let configuration: APIConfiguration
    /// Where CPU and database work runs.
    public let pool: WorkPool
    /// The metrics of /metrics.
    public let metrics: APIMetrics
    /// What jobs this server runs measure, in the same registry.
    let jobMetrics: JobMetrics
    let roots: AllowedRoots
    let database: PostgresPool
    let auth: BearerAuth
    /// Submitted jobs run here, one at a time.
    let jobQueue = DispatchQueue(label: "facejob.api.jobs")
    /// Jobs this server has queued or is running: a job counts as finished for `GET /jobs/{id}`
    /// only once its run has returned, with its reports and unknown persons written.
    let runningJobs = RunningJobs()
    /// Raised by `shutdown()`: the running job stops at its next checkpoint.
    let stop = StopRequest()
    private let modelLock = NSLock()
    private var loadedAnalyzer: FaceAnalyzer?
    private var modelRecord: EmbeddingModelRecord?

    /// Validates the configuration, migrates the database once and opens the connection pool.
    /// Metrics go to `registry` (`facejob serve` passes the process's; a new one by default).
    public init(configuration: APIConfiguration, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws {
        try configuration.validate()
        self.configuration = configuration
        metrics = APIMetrics(registry: registry)
        jobMetrics = JobMetrics(factory: metrics.factory)
        pool = WorkPool(workers: configuration.workers, queueLimit: configuration.queueLimit)
        roots = try AllowedRoots(configuration.allowedRoots)
        auth = BearerAuth(token: configuration.authToken.flatMap { $0.isEmpty ? nil : $0 })
        let locator = DatabaseLocator(option: configuration.databaseURL)
        _ = try locator.connect(migrate: true)
        database = PostgresPool(maxConnections: configuration.workers + 2) { try locator.connect(migrate: false, startEmbedded: false) }
    }

    /// The end of a graceful shutdown, once the HTTP server has stopped accepting and answered the
    /// requests in flight: the running job commits its current batch and releases its leases,
    /// queued jobs are not started, and the database pool is closed.
    public func shutdown() async {
        stop.request()
        // The jobs queue is serial: this block runs once the job in hand has returned.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in jobQueue.async { done.resume() } }
        database.close()
    }

    /// The face models, loaded on first use (a server without models still serves the watchlist routes).
    func analyzer() throws -> FaceAnalyzer {
        modelLock.lock()
        defer { modelLock.unlock() }
        if let loadedAnalyzer { return loadedAnalyzer }
        do {
            let a = try FaceAnalyzer(catalog: ModelCatalog(directory: configuration.modelsDirectory))
            loadedAnalyzer = a
            return a
        } catch {
            throw APIError(.serviceUnavailable, "face models are not available on this server: \(error)")
        }
    }

    /// The stored record of the embedding model (created once per database).
    func model(_ repository: WatchlistRepository) throws -> EmbeddingModelRecord {
        modelLock.lock()
        let cached = modelRecord
        modelLock.unlock()
        if let cached { return cached }
        let record = try repository.model(for: EmbeddingModelKey(embedder: analyzer().embedder))
        modelLock.lock()
        modelRecord = record
        modelLock.unlock()
        return record
    }

    /// Runs `body` on the pool with a watchlist repository on a pooled connection.
    func withRepository<T>(_ body: @escaping @Sendable (WatchlistRepository) throws -> T) async throws -> T {
        try await pool.run { [database] in
            try database.withConnection { try body(WatchlistRepository(connection: $0)) }
        }
    }

    /// Detects and embeds every face of an image, honouring `enforce_detection` the way DeepFace does.
    func faces(of image: ImageInput, field: String, enforceDetection: Bool) throws -> [AnalyzedFace] {
        try faces(in: image.decode(), field: field, enforceDetection: enforceDetection)
    }

    /// Detects and embeds every face of decoded pixels (see `faces(of:field:enforceDetection:)`).
    func faces(in pixels: RGBImage, field: String, enforceDetection: Bool) throws -> [AnalyzedFace] {
        let faces = try analyzer().analyze(pixels, options: MTCNNOptions())
        metrics.addFacesEmbedded(faces.count)
        if faces.isEmpty && enforceDetection {
            throw APIError.badRequest("Face could not be detected in \(field). Please confirm that the picture is a face "
                                      + "photo or consider to set enforce_detection param to False.")
        }
        return faces
    }

    /// Process-wide audit actor for requests: the API plus the process's user@host.
    var actor: String { "api:" + AuditActor.current }
}
