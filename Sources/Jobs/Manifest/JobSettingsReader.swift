import Common
import Foundation
import JSON
import Reports

/// The settings a manifest and a sweep definition share, each read with its own checks and defaults.
struct JobSettings {
    var sampling = Sampling()
    var detector = DetectorSettings()
    var model = Manifest.defaultModel
    var search = SearchSettings()
    var tracking = TrackingSettings()
    var report: ReportSettings
    var workers: Int?
    var unknowns: UnknownsSettings?

    /// Keys of the shared settings.
    static let keys = ["sampling", "detector", "model", "search", "tracking", "report", "workers", "unknowns"]
}

extension FieldReader {
    /// Reads the shared settings from an object; missing sections take their defaults.
    mutating func jobSettings(_ obj: [String: JSONValue], at p: JSONPointer, jobName: String) -> JobSettings {
        var s = JobSettings(report: ReportSettings(directory: ReportSettings.defaultDirectory(jobName: jobName)))
        if let v = value(obj, "sampling", at: p, required: false) { s.sampling = sampling(v, at: p.appending("sampling")) }
        if let v = value(obj, "detector", at: p, required: false) { s.detector = detector(v, at: p.appending("detector")) }
        if let m = choice(obj, "model", at: p, choices: Manifest.knownModels) { s.model = m }
        if let v = value(obj, "search", at: p, required: false) { s.search = search(v, at: p.appending("search")) }
        if let v = value(obj, "tracking", at: p, required: false) { s.tracking = tracking(v, at: p.appending("tracking")) }
        if let v = value(obj, "report", at: p, required: false) {
            s.report = report(v, at: p.appending("report"), defaultDirectory: s.report.directory)
        }
        s.workers = int(obj, "workers", at: p, range: 1...256)
        if let v = value(obj, "unknowns", at: p, required: false) { s.unknowns = unknowns(v, at: p.appending("unknowns")) }
        return s
    }

    /// `unknowns`: `true`, `false`, or an object of settings (enabled unless it says otherwise).
    mutating func unknowns(_ v: JSONValue, at p: JSONPointer) -> UnknownsSettings? {
        if case .bool(let on) = v { return on ? UnknownsSettings() : nil }
        guard case .object = v else {
            add(p, "expected true, false or an object of settings, found \(v.typeName)",
                hint: "for example \"unknowns\": true, or {\"threshold\": 0.6, \"min_faces\": 2}")
            return nil
        }
        var out = UnknownsSettings()
        guard let o = object(v, at: p, allowed: ["enabled", "threshold", "best_faces", "min_faces"]) else { return nil }
        if let e = bool(o, "enabled", at: p) { out.enabled = e }
        if let t = double(o, "threshold", at: p, min: 0, max: 4, lowerOpen: true) { out.threshold = t }
        if let b = int(o, "best_faces", at: p, range: 1...100) { out.bestFaces = b }
        if let m = int(o, "min_faces", at: p, range: 1...10_000) { out.minFaces = m }
        return out.enabled ? out : nil
    }

    mutating func sampling(_ v: JSONValue, at p: JSONPointer) -> Sampling {
        var out = Sampling()
        guard let o = object(v, at: p, allowed: ["every_n", "fps", "keyframes", "window"]) else { return out }
        let modes = ["every_n", "fps", "keyframes"].filter { o[$0] != nil && o[$0] != .null }
        if modes.count > 1 {
            add(p, "give only one of every_n, fps, keyframes; found \(modes.joined(separator: ", "))")
        }
        if let n = int(o, "every_n", at: p, range: 1...100_000) { out.mode = .everyN(n) }
        if let f = double(o, "fps", at: p, min: 0, max: 1000, lowerOpen: true) { out.mode = .fps(f) }
        if let k = bool(o, "keyframes", at: p) {
            if k { out.mode = .keyframes } else {
                add(p.appending("keyframes"), "`keyframes: false` selects nothing", hint: "remove it, or use every_n or fps")
            }
        }
        if let w = value(o, "window", at: p, required: false) {
            let wp = p.appending("window")
            if let wo = object(w, at: wp, allowed: ["from", "to"]) {
                let from = double(wo, "from", at: wp, min: 0, max: nil) ?? 0
                let to = double(wo, "to", at: wp, min: 0, max: nil)
                if let to, to <= from {
                    add(wp.appending("to"), "`to` (\(FieldReader.text(to))) must be after `from` (\(FieldReader.text(from)))",
                        hint: "times are seconds from the start of each recording")
                }
                out.window = TimeWindow(from: from, to: to)
            }
        }
        return out
    }

    mutating func detector(_ v: JSONValue, at p: JSONPointer) -> DetectorSettings {
        var out = DetectorSettings()
        guard let o = object(v, at: p, allowed: ["min_face", "thresholds", "max_side", "motion_gate"]) else { return out }
        if let m = int(o, "min_face", at: p, range: 12...4096) { out.minFace = m }
        if let t = value(o, "thresholds", at: p, required: false) {
            let tp = p.appending("thresholds")
            if case .array(let items) = t {
                if items.count != 3 {
                    add(tp, "expected 3 thresholds (P-Net, R-Net, O-Net), found \(items.count)", hint: "the default is [0.6, 0.7, 0.7]")
                } else {
                    let values = items.enumerated().map { double($0.element, at: tp.appending($0.offset), min: 0, max: 1, lowerOpen: true) }
                    if values.allSatisfy({ $0 != nil }) { out.thresholds = values.compactMap { $0 } }
                }
            } else {
                add(tp, "expected an array of 3 numbers, found \(t.typeName)", hint: "the default is [0.6, 0.7, 0.7]")
            }
        }
        out.maxSide = int(o, "max_side", at: p, range: 64...16384)
        if let g = value(o, "motion_gate", at: p, required: false) { out.motionGate = motionGate(g, at: p.appending("motion_gate")) }
        return out
    }

    /// `true`, `false`, or an object of settings (`enabled` true unless said).
    mutating func motionGate(_ v: JSONValue, at p: JSONPointer) -> MotionGateSettings {
        var out = MotionGateSettings()
        if case .bool(let on) = v { out.enabled = on; return out }
        guard let o = object(v, at: p, allowed: ["enabled", "refresh_seconds", "threshold", "margin", "full_above"]) else {
            return out
        }
        out.enabled = bool(o, "enabled", at: p) ?? true
        if let r = double(o, "refresh_seconds", at: p, min: 0.1, max: 3600) { out.refreshSeconds = r }
        if let t = double(o, "threshold", at: p, min: 1, max: 255) { out.threshold = t }
        if let m = double(o, "margin", at: p, min: 0, max: 0.5) { out.margin = m }
        if let f = double(o, "full_above", at: p, min: 0, max: 1) { out.fullAbove = f }
        return out
    }

    mutating func search(_ v: JSONValue, at p: JSONPointer) -> SearchSettings {
        var out = SearchSettings()
        guard let o = object(v, at: p, allowed: ["method", "metric", "k", "threshold", "index_factory"]) else { return out }
        if let m = choice(o, "method", at: p, choices: SearchSettings.Method.allCases.map(\.rawValue)),
           let method = SearchSettings.Method(rawValue: m) { out.method = method }
        if let m = choice(o, "metric", at: p, choices: SearchSettings.Metric.allCases.map(\.rawValue)),
           let metric = SearchSettings.Metric(rawValue: m) {
            out.metric = metric
            out.threshold = metric.defaultThreshold
        }
        if let k = int(o, "k", at: p, range: 1...100) { out.k = k }
        let maxThreshold = out.metric == .euclidean ? 4.0 : 2.0
        if let t = double(o, "threshold", at: p, min: 0, max: maxThreshold, lowerOpen: true) { out.threshold = t }
        if let f = string(o, "index_factory", at: p) {
            if out.method != .ann {
                add(p.appending("index_factory"), "index_factory applies only to method `ann`",
                    hint: "add \"method\": \"ann\" or remove index_factory")
            } else if f.unicodeScalars.contains(where: { !(CharacterSet.alphanumerics.contains($0) || ",_.".unicodeScalars.contains($0)) }) {
                add(p.appending("index_factory"), "`\(f)` is not a FAISS index factory string",
                    hint: "for example \"HNSW32,Flat\", \"IVF4096,PQ32\" or \"NativeIVF1024\"")
            } else {
                out.indexFactory = f
            }
        }
        return out
    }

    mutating func tracking(_ v: JSONValue, at p: JSONPointer) -> TrackingSettings {
        var out = TrackingSettings()
        guard let o = object(v, at: p, allowed: ["iou", "max_gap_frames", "max_distance"]) else { return out }
        if let i = double(o, "iou", at: p, min: 0, max: 1) { out.iou = i }
        if let g = int(o, "max_gap_frames", at: p, range: 0...10_000) { out.maxGapFrames = g }
        if let d = double(o, "max_distance", at: p, min: 0, max: 4, lowerOpen: true) { out.maxDistance = d }
        return out
    }

    mutating func report(_ v: JSONValue, at p: JSONPointer, defaultDirectory: String) -> ReportSettings {
        var out = ReportSettings(directory: defaultDirectory)
        guard let o = object(v, at: p, allowed: ["directory", "formats", "thumbnails", "clips"]) else { return out }
        if let d = string(o, "directory", at: p) { out.directory = d }
        if let f = value(o, "formats", at: p, required: false) {
            let fp = p.appending("formats")
            if case .array(let items) = f {
                var chosen = Set<ReportFormat>()
                if items.isEmpty { add(fp, "no report format chosen", hint: "use any of \"csv\", \"json\", \"html\"") }
                for (n, item) in items.enumerated() {
                    guard case .string(let s) = item, let format = ReportFormat(rawValue: s) else {
                        let shown: String
                        if case .string(let s) = item { shown = "`\(s)`" } else { shown = item.typeName }
                        let suggestion: String?
                        if case .string(let s) = item {
                            suggestion = KeySuggestion.closest(to: s, among: ReportFormat.allCases.map(\.rawValue)).map { "did you mean `\($0)`?" }
                        } else { suggestion = nil }
                        add(fp.appending(n), "\(shown) is not a report format",
                            hint: suggestion ?? "use any of \"csv\", \"json\", \"html\"")
                        continue
                    }
                    if !chosen.insert(format).inserted { add(fp.appending(n), "`\(s)` is listed twice") }
                }
                out.formats = ReportFormat.allCases.filter(chosen.contains)
            } else {
                add(fp, "expected an array of formats, found \(f.typeName)", hint: "for example [\"csv\", \"html\"]")
            }
        }
        if let t = bool(o, "thumbnails", at: p) { out.thumbnails = t }
        if let c = bool(o, "clips", at: p) { out.clips = c }
        return out
    }
}
