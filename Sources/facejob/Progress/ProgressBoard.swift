import Foundation
import Jobs

/// Shows progress of the inputs being processed: on a terminal a live line per input plus an
/// overall line, redrawn in place; otherwise a structured log line per input every `logInterval`
/// seconds and when it ends. Quiet shows nothing. Thread-safe (workers report concurrently).
final class ProgressBoard: InputProgressReporting, @unchecked Sendable {
    /// How progress is shown.
    enum Mode: Sendable {
        /// Live lines redrawn on a terminal.
        case terminal
        /// `key=value` log lines.
        case log
        /// Nothing.
        case quiet
    }

    private let mode: Mode
    private let lock = NSLock()
    private var current: [String: InputProgress] = [:]
    private var order: [String] = []
    private var lastLog: [String: Date] = [:]
    private var drawnLines = 0
    private var finished = 0
    private let total: Int
    private let logInterval: Double
    private let write: (String) -> Void
    private let columns: () -> Int?
    private let started = Date()

    /// A board for `total` inputs; writes to standard error unless told otherwise. `columns` is the
    /// terminal's width (live lines are cut to it: a wrapped line would break the redraw in place).
    init(mode: Mode, total: Int, logInterval: Double = 10,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                columns: @escaping () -> Int? = { ProgressBoard.terminalColumns(STDERR_FILENO) }) {
        self.mode = mode
        self.total = total
        self.logInterval = logInterval
        self.write = write
        self.columns = columns
    }

    /// The width of the terminal on `fd`, nil when it is not one or does not say.
    static func terminalColumns(_ fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Boards on standard error for runs of any number of inputs (`RunOptions.progress`).
    static func factory(quiet: Bool) -> @Sendable (Int) -> InputProgressReporting {
        let mode = automaticMode(quiet: quiet)
        return { ProgressBoard(mode: mode, total: $0) }
    }

    /// The mode for standard error: terminal when it is one, log lines otherwise; nothing with
    /// `--log-format json`, whose standard error holds only JSON records (the job logs its own).
    static func automaticMode(quiet: Bool) -> Mode {
        if quiet || Observability.settings.format == .json { return .quiet }
        return isatty(STDERR_FILENO) == 1 ? .terminal : .log
    }

    /// Records progress of one input.
    func update(_ p: InputProgress) {
        lock.lock()
        defer { lock.unlock() }
        if current[p.name] == nil { order.append(p.name) }
        current[p.name] = p
        switch mode {
        case .quiet: return
        case .terminal: redraw()
        case .log:
            let now = Date()
            if let last = lastLog[p.name], now.timeIntervalSince(last) < logInterval { return }
            lastLog[p.name] = now
            write(ProgressFormatter.logLine(p) + "\n")
        }
    }

    /// Marks an input finished with its status (and error).
    func finish(_ name: String, status: String, error: String?) {
        lock.lock()
        defer { lock.unlock() }
        finished += 1
        // The last sampled frame sits before the recording's end: a finished input shows it all done.
        if status != "failed", var p = current[name], let total = p.totalMicroseconds, p.reachedMicroseconds < total {
            p.reachedMicroseconds = total
            current[name] = p
        }
        switch mode {
        case .quiet: return
        case .terminal:
            redraw()
            if let error { message("\(name): \(status): \(error)") }
        case .log:
            var line = "input=\"\(name)\" status=\(status)"
            if let p = current[name] { line = ProgressFormatter.logLine(p) + " status=\(status)" }
            if let error { line += " error=\"\(error.replacingOccurrences(of: "\"", with: "'"))\"" }
            write(line + "\n")
            // A worker serves whatever jobs it finds: it has no total to report against.
            if total > 0 { write(ProgressFormatter.overallLogLine(order.compactMap { current[$0] }, finished: finished, total: total) + "\n") }
        }
    }

    /// A message between progress lines (terminal: above the live lines).
    func note(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard mode != .quiet else { return }
        if mode == .terminal { message(text) } else { write(text + "\n") }
    }

    /// Leaves the live lines as they are and moves below them.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        drawnLines = 0
    }

    private func message(_ text: String) {
        clear()
        write(text + "\n")
        redraw()
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    private func redraw() {
        clear()
        var lines = order.compactMap { current[$0] }.map(ProgressFormatter.line)
        lines.append(ProgressFormatter.overall(order.compactMap { current[$0] }, finished: finished, total: total,
                                               elapsedSeconds: Date().timeIntervalSince(started)))
        if let width = columns(), width > 1 {
            // The last column stays free: writing into it makes some terminals wrap early.
            lines = lines.map { $0.count < width ? $0 : String($0.prefix(width - 1)) }
        }
        write(lines.map { $0 + "\u{1B}[K\n" }.joined())
        drawnLines = lines.count
    }
}
