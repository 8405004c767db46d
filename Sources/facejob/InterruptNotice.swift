import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `run` and `sweep` say when they are interrupted (Ctrl-C, `kill`, cron's timeout); `worker`
/// and `serve` stop gracefully instead (`WorkerCommand`, `APIServer.run`). Every batch is committed
/// together with its checkpoint, so stopping at any instant loses nothing; the notice says so and
/// how to go on, then the process dies of the signal as it would have (a shell sees 130 or 143).
/// A signal the process was started ignoring (`nohup`, background jobs of scripts) stays ignored.
enum InterruptNotice {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install(_ howToGoOn: String) {
        for sig in [SIGINT, SIGTERM] {
            let previous = signal(sig, SIG_IGN)
            if let previous, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let what = sig == SIGINT ? "interrupted" : "terminated"
                let notice = "\(what); every committed frame is kept. \(howToGoOn)"
                Observability.tell("\nfacejob: " + notice, message: notice, level: .notice)
                // Dispatch keeps the signal blocked to read it; unblocked here, the default action ends the process.
                signal(sig, SIG_DFL)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, sig)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                raise(sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
