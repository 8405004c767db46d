import CoreMetrics
import Foundation

/// What the job pipeline measures, as swift-metrics instruments made by one `MetricsFactory`
/// (the process's bootstrapped one unless given): frames through each step, faces, hits, seconds
/// per stage, the depth of the bounded queues between stages, leases and closed inputs. Counters
/// are cumulative per process; every name is listed with its meaning in docs/operations.md.
///
/// The instruments are made once and shared by every worker thread: recording is an atomic add,
/// cheap next to the milliseconds a frame takes.
public final class JobMetrics: Sendable {
    /// Metric names and their help text (the `# HELP` line of the exposition).
    public static let help: [String: String] = [
        Name.framesDecoded: "Video frames decoded by job inputs, before sampling.",
        Name.framesSampled: "Frames the sampling policy kept and queued for analysis.",
        Name.framesAnalysed: "Sampled frames analysed, searched and committed.",
        Name.facesDetected: "Faces detected in committed frames (stored detections).",
        Name.hits: "Watchlist hits committed.",
        Name.stageSeconds: "Seconds spent per pipeline stage, summed over threads.",
        Name.queueDepth: "Items waiting in the pipeline's bounded queues, summed over inputs.",
        Name.queueCapacity: "Capacity of the pipeline's bounded queues, summed over inputs.",
        Name.inputsRunning: "Job inputs being processed by this process.",
        Name.inputsFinished: "Job inputs closed by this process, by status.",
        Name.leaseRenewals: "Input leases renewed by the heartbeat.",
        Name.leaseLosses: "Inputs given up because another worker took the lease over.",
        Name.gateFrames: "Sampled frames of motion-gated inputs, by what the detector searched.",
    ]

    /// The metric names.
    public enum Name {
        public static let framesDecoded = "facejob_frames_decoded_total"
        public static let framesSampled = "facejob_frames_sampled_total"
        public static let framesAnalysed = "facejob_frames_analysed_total"
        public static let facesDetected = "facejob_faces_detected_total"
        public static let hits = "facejob_hits_total"
        public static let stageSeconds = "facejob_stage_seconds_total"
        public static let queueDepth = "facejob_queue_depth"
        public static let queueCapacity = "facejob_queue_capacity"
        public static let inputsRunning = "facejob_inputs_running"
        public static let inputsFinished = "facejob_inputs_finished_total"
        public static let leaseRenewals = "facejob_lease_renewals_total"
        public static let leaseLosses = "facejob_lease_losses_total"
        public static let gateFrames = "facejob_gate_frames_total"
    }

    /// What the motion gate had the detector search in a frame (`decision` label of
    /// `facejob_gate_frames_total`).
    public enum GateDecision: String, CaseIterable, Sendable {
        /// The whole frame: the first of an input, a refresh, a cut, or a frame under 1280x720.
        case full
        /// Only the changed rectangles (and the faces of recent frames).
        case regions
        /// Nothing changed: only the faces of recent frames were looked for again.
        case still
    }

    /// The timed stages (`stage` label of `facejob_stage_seconds_total`).
    public enum Stage: String, CaseIterable, Sendable {
        /// Reading, decoding, sampling and colour conversion (the decoder thread).
        case decode
        /// Detection, landmarks and face chips (or the whole analysis, for engines that do not
        /// embed separately).
        case detect
        /// Embedding passes over the face chips.
        case embed
        /// Watchlist search of a batch's faces.
        case search
        /// The batch's transaction: detections, hits and checkpoint.
        case commit
    }

    /// The bounded queues (`queue` label of `facejob_queue_depth` and `facejob_queue_capacity`).
    public enum Queue: String, CaseIterable, Sendable {
        /// Sampled frames from the decoder waiting for the motion gate and analysis.
        case decoded
        /// Frames held by the analysis lookahead (in analysis or analysed, not yet searched).
        case analysis
        /// Aligned faces waiting for an embedding pass (no fixed capacity).
        case embedding
    }

    let framesDecoded: Counter
    let framesSampled: Counter
    let framesAnalysed: Counter
    let facesDetected: Counter
    let hits: Counter
    let leaseRenewals: Counter
    let leaseLosses: Counter
    let inputsRunning: Meter
    private let stages: [Stage: FloatingPointCounter]
    private let depths: [Queue: Meter]
    private let capacities: [Queue: Meter]
    private let finished: [InputStatus: Counter]
    private let gate: [GateDecision: Counter]

    /// Instruments made by `factory` (default: the process's bootstrapped one, which does
    /// nothing until `MetricsSystem.bootstrap`).
    public init(factory: MetricsFactory = MetricsSystem.factory) {
        framesDecoded = Counter(label: Name.framesDecoded, factory: factory)
        framesSampled = Counter(label: Name.framesSampled, factory: factory)
        framesAnalysed = Counter(label: Name.framesAnalysed, factory: factory)
        facesDetected = Counter(label: Name.facesDetected, factory: factory)
        hits = Counter(label: Name.hits, factory: factory)
        leaseRenewals = Counter(label: Name.leaseRenewals, factory: factory)
        leaseLosses = Counter(label: Name.leaseLosses, factory: factory)
        inputsRunning = Meter(label: Name.inputsRunning, factory: factory)
        var stages: [Stage: FloatingPointCounter] = [:]
        for stage in Stage.allCases {
            stages[stage] = FloatingPointCounter(label: Name.stageSeconds, dimensions: [("stage", stage.rawValue)], factory: factory)
        }
        self.stages = stages
        var depths: [Queue: Meter] = [:], capacities: [Queue: Meter] = [:]
        for queue in Queue.allCases {
            depths[queue] = Meter(label: Name.queueDepth, dimensions: [("queue", queue.rawValue)], factory: factory)
            if queue != .embedding {
                capacities[queue] = Meter(label: Name.queueCapacity, dimensions: [("queue", queue.rawValue)], factory: factory)
            }
        }
        self.depths = depths
        self.capacities = capacities
        var finished: [InputStatus: Counter] = [:]
        for status in [InputStatus.done, .partial, .failed] {
            finished[status] = Counter(label: Name.inputsFinished, dimensions: [("status", status.rawValue)], factory: factory)
        }
        self.finished = finished
        var gate: [GateDecision: Counter] = [:]
        for decision in GateDecision.allCases {
            gate[decision] = Counter(label: Name.gateFrames, dimensions: [("decision", decision.rawValue)], factory: factory)
        }
        self.gate = gate
    }

    /// Counts a frame of a gated input by what the detector searched.
    func gated(_ decision: GateDecision) {
        gate[decision]?.increment()
    }

    /// Adds `seconds` to a stage.
    func add(_ seconds: Double, to stage: Stage) {
        if seconds > 0 { stages[stage]?.increment(by: seconds) }
    }

    /// Runs `body` and adds its wall time to `stage`.
    func time<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, to: stage) }
        return try body()
    }

    /// Moves a queue's depth by `delta` (a `BoundedQueue`'s `depthChanged`).
    func depthChanged(_ queue: Queue, by delta: Int) {
        guard let meter = depths[queue], delta != 0 else { return }
        if delta > 0 { meter.increment(by: Double(delta)) } else { meter.decrement(by: Double(-delta)) }
    }

    /// Adds (or, negative, removes) a queue's capacity while an input holds one.
    func capacityChanged(_ queue: Queue, by delta: Int) {
        guard let meter = capacities[queue], delta != 0 else { return }
        if delta > 0 { meter.increment(by: Double(delta)) } else { meter.decrement(by: Double(-delta)) }
    }

    /// Counts an input closed with `status`.
    func inputFinished(_ status: InputStatus) {
        finished[status]?.increment()
    }
}
