import Foundation
import XCTest

/// Runs a program the way a user's shell would, capturing what it prints: to completion (`run`),
/// or in the background to signal and wait for (`start`).
public enum ChildProcess {
    /// The outcome of one run.
    public struct Result: Sendable {
        /// Exit status (or the signal number when killed).
        public let status: Int32
        /// Everything written to standard output.
        public let stdout: String
        /// Everything written to standard error.
        public let stderr: String
    }

    /// Runs `executable arguments…` with this process's environment plus `environment`, or with
    /// `environment` alone when `inherit` is false.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           inherit: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = inherit ? ProcessInfo.processInfo.environment.merging(environment) { $1 } : environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained before waiting, so a chatty child never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errBox.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.get(), as: UTF8.self))
    }

    /// Starts `executable arguments…` with this process's environment plus `environment`; its
    /// standard output is discarded, its standard error collected. Killed (SIGKILL) when `test`
    /// ends if it is still running, so no test leaves a process behind.
    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                             test: XCTestCase) throws -> Running {
        let running = try Running(executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        test.addTeardownBlock { running.stop() }
        return running
    }

    /// A program running in the background.
    public final class Running: @unchecked Sendable {
        /// How a process ended: by `exit` with a status, or by a signal.
        public struct Exit: Equatable, Sendable {
            /// True when it called `exit`; false when a signal ended it.
            public let exited: Bool
            /// The exit status, or the signal's number.
            public let status: Int32

            /// An ending: `exit(status)` when `exited`, else death by signal `status`.
            public init(exited: Bool, status: Int32) {
                self.exited = exited
                self.status = status
            }
        }

        private let process = Process()
        private let errors = DataBox()
        private let errorsRead = DispatchSemaphore(value: 0)

        init(_ executable: URL, _ arguments: [String], environment: [String: String]) throws {
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            let err = Pipe()
            process.standardError = err
            try process.run()
            let errors = self.errors, done = errorsRead
            Thread.detachNewThread {
                while true {
                    let data = err.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    errors.append(data)
                }
                done.signal()
            }
        }

        /// The process id.
        public var pid: Int32 { process.processIdentifier }

        /// Whether it is still running.
        public var isRunning: Bool { process.isRunning }

        /// What it wrote to standard error so far.
        public var stderr: String { String(decoding: errors.get(), as: UTF8.self) }

        /// Sends `signal` (e.g. SIGTERM) to it.
        public func send(_ signal: Int32) { kill(pid, signal) }

        /// Waits until it has ended, at most `seconds`; nil when it is still running then (it is
        /// then killed, so the caller fails instead of hanging).
        public func waitForExit(within seconds: Double) -> Exit? {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            guard !process.isRunning else {
                stop()
                return nil
            }
            process.waitUntilExit()
            errorsRead.wait()
            errorsRead.signal()
            return Exit(exited: process.terminationReason == .exit, status: process.terminationStatus)
        }

        /// Waits until its standard error matches the regular expression `pattern`, at most
        /// `seconds` or until it ends; the matched text, or nil.
        public func waitForStderr(matching pattern: String, within seconds: Double) -> String? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let text = stderr
                if let range = text.range(of: pattern, options: .regularExpression) { return String(text[range]) }
                if !process.isRunning { return nil }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }

        /// Kills it (SIGKILL) if it is still running and waits for it.
        func stop() {
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
    }
}

/// Bytes handed from the reading thread to the waiting one.
private final class DataBox: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
