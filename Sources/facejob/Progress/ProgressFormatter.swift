import Foundation
import Jobs
import Reports

/// Formats progress: one live line per input on a terminal, `key=value` log lines otherwise.
enum ProgressFormatter {
    /// `cam1.mp4  42.0%  00:04:12.000/00:10:00.000  1234 frames  56 faces  3 hits  18.2 frames/s  ETA 00:05:48`.
    static func line(_ p: InputProgress) -> String {
        var parts = [p.name]
        if let f = p.fraction { parts.append(FixedDecimal.format(f * 100, places: 1) + "%") }
        parts.append(MediaTime.clock(microseconds: p.reachedMicroseconds)
            + (p.totalMicroseconds.map { "/" + MediaTime.clock(microseconds: $0) } ?? ""))
        parts.append("\(p.frames) frames")
        parts.append("\(p.faces) faces")
        parts.append("\(p.hits) hits")
        parts.append(FixedDecimal.format(p.framesPerSecond, places: 1) + " frames/s")
        parts.append("ETA " + (p.etaSeconds.map(duration) ?? "--:--:--"))
        return parts.joined(separator: "  ")
    }

    /// `input="cam1.mp4" frames=1234 faces=56 hits=3 reached_ms=252000.000 total_ms=600000.000 fps=18.2 eta_s=348`.
    static func logLine(_ p: InputProgress) -> String {
        var parts = ["input=" + quoted(p.name), "frames=\(p.frames)", "faces=\(p.faces)", "hits=\(p.hits)",
                     "reached_ms=" + MediaTime.milliseconds(microseconds: p.reachedMicroseconds)]
        if let t = p.totalMicroseconds { parts.append("total_ms=" + MediaTime.milliseconds(microseconds: t)) }
        parts.append("fps=" + FixedDecimal.format(p.framesPerSecond, places: 1))
        if let eta = p.etaSeconds { parts.append("eta_s=" + String(Int64(eta.rounded(.up)))) }
        return parts.joined(separator: " ")
    }

    /// The overall line: inputs finished, totals, the speed of the whole run over `elapsedSeconds`
    /// (when given), and the slowest input's ETA (inputs run in parallel).
    static func overall(_ inputs: [InputProgress], finished: Int, total: Int, elapsedSeconds: Double? = nil) -> String {
        let frames = inputs.reduce(0) { $0 + $1.frames }, faces = inputs.reduce(0) { $0 + $1.faces }
        let hits = inputs.reduce(0) { $0 + $1.hits }
        let etas = inputs.compactMap(\.etaSeconds)
        let eta = etas.max().map(duration) ?? "--:--:--"
        let done = total > 0 ? "\(finished)/\(total) inputs" : "\(finished) inputs done"
        var speed = ""
        if let elapsedSeconds, elapsedSeconds > 0 {
            let thisRun = inputs.reduce(0) { $0 + $1.framesThisRun }
            speed = "  " + FixedDecimal.format(Double(thisRun) / elapsedSeconds, places: 1) + " frames/s"
        }
        return "overall  \(done)  \(frames) frames  \(faces) faces  \(hits) hits\(speed)  ETA \(eta)"
    }

    /// `job inputs_done=1 inputs=3 frames=1234 faces=56 hits=3`: the whole job, logged when an input ends.
    static func overallLogLine(_ inputs: [InputProgress], finished: Int, total: Int) -> String {
        let frames = inputs.reduce(0) { $0 + $1.frames }, faces = inputs.reduce(0) { $0 + $1.faces }
        let hits = inputs.reduce(0) { $0 + $1.hits }
        return "job inputs_done=\(finished) inputs=\(total) frames=\(frames) faces=\(faces) hits=\(hits)"
    }

    /// `HH:MM:SS` of whole seconds, rounded up so a job never shows 0 while work remains.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--:--" }
        let s = Int64(seconds.rounded(.up))
        return String(format: "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60)
    }

    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
