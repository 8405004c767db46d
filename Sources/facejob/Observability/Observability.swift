import API
import Common
import CoreMetrics
import Foundation
import Logging
import Prometheus

/// The process's logging and metrics, set up once by `Facejob.main` before a command runs:
/// swift-log's handler (text or JSON on standard error, at the chosen level) and swift-metrics'
/// factory over the process's Prometheus registry, which `serve` and `worker --metrics-port` expose.
enum Observability {
    /// The registry every metric of this process lives in.
    static let registry = PrometheusCollectorRegistry()
    /// The settings bootstrapped (written once, before any command code runs).
    nonisolated(unsafe) private(set) static var settings = LoggingSettings()

    /// Bootstraps logging and metrics; call exactly once.
    static func bootstrap(_ settings: LoggingSettings) {
        self.settings = settings
        LoggingSystem.bootstrap { label in
            switch settings.format {
            case .json:
                return JSONLogHandler(label: label, level: settings.level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = settings.level
                return handler
            }
        }
        MetricsSystem.bootstrap(PrometheusFactory(registry: registry))
    }

    /// The logger a command hands the job runner. In text format `run`, `sweep` and `worker` show
    /// a job's progress and results on their progress display (as they always have), so the job's
    /// own records are written only at a level asked for explicitly; in JSON format they are the
    /// record of the run.
    static var jobLogger: Logger {
        var logger = Logger(label: "facejob.jobs")
        if settings.format == .text, !settings.levelExplicit { logger.logLevel = .error }
        return logger
    }

    /// A message for the user: in text format `text` as it stands on standard error; in JSON
    /// format a record at `level` with `message` and `metadata`, so that standard error stays
    /// one JSON object per line.
    static func tell(_ text: String, message: String, level: Logger.Level = .error, metadata: Logger.Metadata = [:]) {
        switch settings.format {
        case .text: FileHandle.standardError.write(Data((text + "\n").utf8))
        case .json: Logger(label: "facejob").log(level: level, "\(message)", metadata: metadata)
        }
    }
}
