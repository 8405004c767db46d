import ArgumentParser
import Foundation
import Logging

/// How log records are written: `text` for people (swift-log's stream format), `json` one object
/// per line for a log collector (`JSONLogHandler`).
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}

/// `--log-format` and `--log-level`, shared by the commands that log (run, sweep, worker, serve).
/// Each falls back to `$FACEJOB_LOG_FORMAT` / `$FACEJOB_LOG_LEVEL`; a flag wins over the variable.
struct LoggingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Log format: text (for people) or json (one JSON object per line on standard error, "
                               + "for a log collector; progress display off). Default: $FACEJOB_LOG_FORMAT, else text.",
                               valueName: "text|json"))
    var logFormat: LogFormat?

    @Option(help: ArgumentHelp("Least severe level logged: trace, debug, info, notice, warning, error or critical. "
                               + "Default: $FACEJOB_LOG_LEVEL, else info.", valueName: "level"))
    var logLevel: String?

    func validate() throws {
        _ = try LoggingSettings.resolve(self)
    }
}

/// A command whose `--log-format` / `--log-level` the executable bootstraps logging with.
protocol LoggingCommand {
    var logging: LoggingOptions { get }
}

/// The format and level in force: from the options, else the environment, else text and info.
struct LoggingSettings: Equatable {
    var format: LogFormat = .text
    var level: Logger.Level = .info
    /// Whether a level was asked for (flag or variable) rather than defaulted.
    var levelExplicit = false

    /// The settings of `options` (nil: a command without the options), the environment filling in.
    static func resolve(_ options: LoggingOptions?,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoggingSettings {
        var settings = LoggingSettings()
        if let format = options?.logFormat {
            settings.format = format
        } else if let text = environment["FACEJOB_LOG_FORMAT"], !text.isEmpty {
            guard let format = LogFormat(rawValue: text) else {
                throw ValidationError("FACEJOB_LOG_FORMAT=\(text) is not a log format (text or json)")
            }
            settings.format = format
        }
        if let text = options?.logLevel {
            guard let level = Logger.Level(rawValue: text) else { throw ValidationError(levelProblem("--log-level \(text)")) }
            settings.level = level
            settings.levelExplicit = true
        } else if let text = environment["FACEJOB_LOG_LEVEL"], !text.isEmpty {
            guard let level = Logger.Level(rawValue: text) else { throw ValidationError(levelProblem("FACEJOB_LOG_LEVEL=\(text)")) }
            settings.level = level
            settings.levelExplicit = true
        }
        return settings
    }

    private static func levelProblem(_ given: String) -> String {
        "\(given) is not a log level (\(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))"
    }
}
