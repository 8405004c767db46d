import Common
import Foundation
import Logging
import Media
import Postgres
import Reports
import Search
import Store
import Watchlist

/// Processes one input of a job: decode (from the checkpoint) → sample → bounded queue → detect,
/// align, embed (batched) → search (batched) → track → commit detections, hits and checkpoint in
/// one transaction per batch. The decoder runs on its own thread; everything touching the
/// database, the engine and the tracker runs on the caller's thread.
///
/// Exactly-once: a batch's rows and the checkpoint that covers them commit atomically, the
/// decoder resumes strictly after the checkpoint's frame, sample ordinals continue from it and
/// the tracker is rebuilt from the committed detections, so a rerun after a kill at any instant
/// produces the rows an uninterrupted run produces. The same holds for a requested stop: the
/// frames analysed so far commit as a last (possibly shorter) batch, the frames still in flight are
/// dropped, and the lease is released so the next worker resumes after that checkpoint.
public final class InputPipeline {
    /// Called after each committed batch and at the end.
    public typealias ProgressHandler = (InputProgress) -> Void

    let context: PipelineContext
    let jobs: JobRepository
    let watchlists: WatchlistRepository
    let analyzer: FaceAnalyzing
    let owner: String
    let progress: ProgressHandler
    let heartbeatConnect: (@Sendable () throws -> PostgresConnection)?
    /// Threads analysing this input's frames.
    let analysisThreads: Int
    /// Raised to stop after the next commit (nil: run to the end).
    let stop: StopRequest?
    /// The input's logger (`job_id`, `input`, `worker_id` in its metadata).
    let logger: Logger
    /// What the pipeline measures.
    let metrics: JobMetrics

    /// A pipeline on the worker's own connection (`jobs` and `watchlists` may share it) and engine.
    /// With `heartbeatConnect`, a heartbeat on a connection of its own renews the lease while a
    /// batch is being analysed (see `LeaseHeartbeat`); without it only commits renew it.
    /// `analysisThreads`: one per core by default; inputs processed side by side share the cores.
    /// Once `stop` is raised, the input stops at its next checkpoint (`InputOutcome.stopped`).
    public init(context: PipelineContext, jobs: JobRepository, watchlists: WatchlistRepository,
                analyzer: FaceAnalyzing, owner: String,
                heartbeatConnect: (@Sendable () throws -> PostgresConnection)? = nil,
                analysisThreads: Int = AvailableCores.count,
                stop: StopRequest? = nil,
                logger: Logger = WorkerEnvironment.silentLogger, metrics: JobMetrics = JobMetrics(),
                progress: @escaping ProgressHandler = { _ in }) {
        self.analysisThreads = max(1, analysisThreads)
        self.stop = stop
        self.logger = logger
        self.metrics = metrics
        self.context = context
        self.jobs = jobs
        self.watchlists = watchlists
        self.analyzer = analyzer
        self.owner = owner
        self.heartbeatConnect = heartbeatConnect
        self.progress = progress
    }

    private enum Item {
        case opened(width: Int, height: Int, durationMs: Int64?)
        case frame(VideoFrame)
        case finished(DecodeStats, [DecodeIssue])
    }

    /// Processes `input` (claimed by `owner`) to its end and closes it, or, once a stop is requested,
    /// commits what was analysed, releases the lease and returns `.stopped`. Input-specific problems
    /// (unreadable or corrupt footage) end as `.finished(status: .failed, …)`; database and engine
    /// failures are thrown (they concern the whole job).
    public func process(_ input: JobInputRecord) throws -> InputOutcome {
        let started = Date()
        let manifest = context.manifest
        let name = (input.file.path as NSString).lastPathComponent
        var tracker = FaceTracker(settings: manifest.tracking, state: try resumedTrackerState(input))
        var nextSample = (input.checkpointSample ?? -1) + 1
        let resumedUs = (input.checkpointMs ?? 0) * 1000
        var counters = (frames: input.framesSampled, faces: input.faces, hits: input.hits)
        var size = (width: input.frameWidth, height: input.frameHeight)
        var totalUs: Int64? = input.durationMs.map { $0 * 1000 }
        var reachedUs = resumedUs

        let metrics = self.metrics
        let queue = BoundedQueue<Item>(capacity: context.batchSize * 2) { metrics.depthChanged(.decoded, by: $0) }
        metrics.capacityChanged(.decoded, by: context.batchSize * 2)
        defer { metrics.capacityChanged(.decoded, by: -context.batchSize * 2) }
        var decodeSpec = context.decodeOptions(resumeAfterMs: input.checkpointMs)
        decodeSpec.threads = DecodeOptionsSpec.decoderThreads(analysisThreads: analysisThreads)
        let decodeOptions = decodeSpec.options
        let path = input.file.path
        // A batch's frames give their pixel buffers back to the decoder once the batch has
        // committed: a fresh 6 MB buffer per 1080p frame cost page faults on the decoder's thread.
        let pool = FramePool(capacity: context.batchSize)
        let decoderDone = DispatchSemaphore(value: 0)
        CoreThreads.start(name: "facejob.decode") {
            defer { decoderDone.signal() }
            do {
                let decoder = try metrics.time(.decode) { try VideoDecoder(path: path, options: decodeOptions, pool: pool) }
                let stream = decoder.info.videoStream.flatMap { i in decoder.info.streams.first { $0.index == i } }
                var w = stream?.width ?? 0, h = stream?.height ?? 0
                if decoder.rotation % 180 != 0 { swap(&w, &h) }
                let duration = decoder.info.durationSeconds.map { Int64(($0 * 1000).rounded()) }
                guard queue.push(.opened(width: w, height: h, durationMs: duration)) else { return }
                var decoded: Int64 = 0
                while let frame = try metrics.time(.decode, { try decoder.next() }) {
                    metrics.framesDecoded.increment(by: decoder.stats.framesDecoded - decoded)
                    decoded = decoder.stats.framesDecoded
                    metrics.framesSampled.increment()
                    guard queue.push(.frame(frame)) else { return }
                }
                metrics.framesDecoded.increment(by: decoder.stats.framesDecoded - decoded)
                _ = queue.push(.finished(decoder.stats, decoder.issues))
                queue.close()
            } catch {
                queue.close(error)
            }
        }
        defer {
            queue.close()
            decoderDone.wait()
        }

        let heartbeat = heartbeatConnect.map {
            LeaseHeartbeat(connect: $0, jobID: context.jobID, ordinal: input.ordinal, owner: owner,
                           leaseSeconds: context.leaseSeconds, logger: logger, metrics: metrics)
        }
        defer { heartbeat?.stop() }

        // Frames are analysed ahead on the input's cores while this thread searches, tracks and commits.
        // Two frames per thread keep every thread busy; more would only hold decoded frames in memory
        // (and analyse frames of the next batch long before their batch commits).
        let lookahead = FrameLookahead(analyzer: analyzer, limit: 2 * analysisThreads, threads: analysisThreads, metrics: metrics)
        defer { lookahead.cancel() }
        // Fixed cameras: look only where the picture changed (a full pass at the start, after a
        // resume, every `refresh_seconds` and at cuts).
        var gate = manifest.detector.motionGate.enabled
            ? MotionGate(settings: manifest.detector.motionGate, restoring: input.checkpointSample == nil ? nil : input.gateState)
            : nil
        // The gate after each frame in flight (copies share their cells until the next frame
        // changes them): a batch commits the state after its last frame.
        var gateStates: [Int64: MotionGate] = [:]
        // Faces of recent frames by sample ordinal, for the gate's seeds (from the committed
        // detections after a resume).
        var recentFaces: [Int64: [PixelBox]] = [:]
        var pushed: Int64 = 0
        // What the gate had the detector search, for the log record of the finished input.
        var gateCounts: [JobMetrics.GateDecision: Int64] = [:]
        let firstOrdinal = nextSample
        if gate != nil, let checkpoint = input.checkpointSample {
            let from = checkpoint - Int64(MotionGate.seedLag + MotionGate.seedWindow)
            for d in try jobs.detections(jobID: context.jobID, ordinal: input.ordinal, fromSample: from) {
                recentFaces[d.sampleOrdinal, default: []].append(d.box)
            }
        }
        var analysedCount: Int64 = 0
        func received(_ analysed: [FrameLookahead.Analysed]) throws {
            for a in analysed {
                if gate != nil {
                    recentFaces[firstOrdinal + analysedCount] = a.faces.map(\.box)
                    recentFaces = recentFaces.filter { $0.key > firstOrdinal + analysedCount - Int64(MotionGate.seedLag + MotionGate.seedWindow) }
                }
                analysedCount += 1
                batch.append(a)
                if batch.count >= context.batchSize { try flush() }
            }
        }
        var batch: [FrameLookahead.Analysed] = []
        // Frames of committed batches, whose pixel buffers go back to the decoder.
        var retired: [RGBImage] = []
        var batchStarted = Date()
        var damaged: Int64 = 0
        var issues: [DecodeIssue] = []
        var issueCount: Int64 = 0

        func report() {
            progress(InputProgress(name: name, frames: counters.frames, faces: counters.faces, hits: counters.hits,
                                   reachedMicroseconds: reachedUs, totalMicroseconds: totalUs,
                                   resumedFromMicroseconds: resumedUs, elapsedSeconds: Date().timeIntervalSince(started),
                                   resumedFrames: input.framesSampled))
        }

        func flush() throws {
            guard !batch.isEmpty else { return }
            // Taken over already: the commit would be refused; stop before searching and writing thumbnails.
            if heartbeat?.isLost == true {
                throw JobStoreError.leaseLost(job: context.jobID, input: input.ordinal, owner: owner)
            }
            let result = try analyse(batch, firstSample: nextSample, tracker: &tracker, inputOrdinal: input.ordinal)
            let last = batch[batch.count - 1].frame
            if let image = batch.last(where: { $0.frame.image != nil })?.frame.image { size = (image.width, image.height) }
            let frames = Int64(batch.count)
            let damagedInBatch = Int64(batch.filter(\.frame.isDamaged).count)
            let committed = JobBatch(jobID: context.jobID, inputOrdinal: input.ordinal, owner: owner,
                                     detections: result.detections, hits: result.hits, checkpointMs: last.ptsMs,
                                     checkpointSample: nextSample + frames - 1, nextTrackID: tracker.state.nextTrackID,
                                     frames: frames, damagedFrames: damagedInBatch, frameWidth: size.width,
                                     frameHeight: size.height, seconds: Date().timeIntervalSince(batchStarted),
                                     gateState: gateStates[last.index]?.state)
            try metrics.time(.commit) { try jobs.commit(committed, leaseSeconds: context.leaseSeconds) }
            metrics.framesAnalysed.increment(by: frames)
            metrics.facesDetected.increment(by: result.detections.count)
            metrics.hits.increment(by: result.hits.count)
            logger.debug("batch committed", metadata: [
                "frames": .stringConvertible(frames), "faces": .stringConvertible(result.detections.count),
                "hits": .stringConvertible(result.hits.count), "checkpoint_ms": .stringConvertible(last.ptsMs),
                "seconds": .stringConvertible(committed.seconds)])
            nextSample += frames
            gateStates = gateStates.filter { $0.key > last.index }
            counters.frames += frames
            counters.faces += Int64(result.detections.count)
            counters.hits += Int64(result.hits.count)
            damaged += damagedInBatch
            reachedUs = last.ptsMs * 1000
            retired += batch.compactMap(\.frame.image)
            batch.removeAll(keepingCapacity: true)
            batchStarted = Date()
            report()
        }

        do {
            while let item = try queue.pop() {
                // The frames of the last committed batch are referenced nowhere else by now (the
                // decoder would have to copy a buffer that still is): their buffers go back.
                while let image = retired.popLast() { pool.recycle(image) }
                if stop?.isRequested == true {
                    try flush()
                    report()
                    _ = try jobs.releaseInput(jobID: context.jobID, ordinal: input.ordinal, owner: owner)
                    return .stopped
                }
                switch item {
                case .opened(let w, let h, let d):
                    size = (w, h)
                    totalUs = d.map { $0 * 1000 }
                    try jobs.describe(jobID: context.jobID, ordinal: input.ordinal, width: w, height: h, durationMs: d)
                case .frame(let frame):
                    var decision = MotionGate.Decision.full
                    var seeds: [PixelBox] = []
                    if gate != nil, let image = frame.image, image.width * image.height >= MotionGate.minimumPixels {
                        // The seeds are the faces of earlier frames (`MotionGate.seedFrames`): wait for them.
                        let ordinal = firstOrdinal + pushed
                        if let from = MotionGate.seedFrames(for: ordinal) {
                            try received(try lookahead.results(through: Int(max(0, from.upperBound - firstOrdinal + 1))))
                            seeds = MotionGate.distinct(from.flatMap { recentFaces[$0] ?? [] })
                        }
                        decision = gate?.decide(image, ptsMs: frame.ptsMs, forceFull: ordinal == 0) ?? .full
                    }
                    if let gate {
                        gateStates[frame.index] = gate
                        let kind: JobMetrics.GateDecision
                        switch decision {
                        case .full: kind = .full
                        case .regions(let r): kind = r.isEmpty ? .still : .regions
                        }
                        gateCounts[kind, default: 0] += 1
                        metrics.gated(kind)
                    }
                    try received(try lookahead.push(frame, decision: decision, seeds: seeds))
                    pushed += 1
                case .finished(let stats, let kept):
                    issues = kept
                    issueCount = stats.issueCount
                }
            }
            try received(try lookahead.drain())
            try flush()
        } catch JobStoreError.leaseLost {
            return .leaseLost
        } catch let error as MediaError {
            // The footage itself is bad: what was committed stays, the input is closed with the error.
            let status: InputStatus = counters.frames > 0 ? .partial : .failed
            try finish(input, status: status, error: error.description, started: started, counters: counters,
                       gate: gate == nil ? nil : gateCounts)
            return .finished(status: status, error: error.description)
        }
        report()
        var status = InputStatus.done
        var error: String?
        if issueCount > 0 || damaged > 0 {
            status = .partial
            let detail = issues.prefix(3).map(\.description).joined(separator: "; ")
            error = "\(issueCount) decoding problem(s), \(damaged) damaged frame(s) skipped or concealed"
                + (detail.isEmpty ? "" : ": " + detail)
        }
        try finish(input, status: status, error: error, started: started, counters: counters,
                   gate: gate == nil ? nil : gateCounts)
        return .finished(status: status, error: error)
    }

    private func finish(_ input: JobInputRecord, status: InputStatus, error: String?, started: Date,
                        counters: (frames: Int64, faces: Int64, hits: Int64),
                        gate: [JobMetrics.GateDecision: Int64]?) throws {
        _ = try jobs.finishInput(jobID: context.jobID, ordinal: input.ordinal, owner: owner, status: status.rawValue,
                                 error: error)
        var metadata: Logger.Metadata = [
            "status": .string(status.rawValue), "frames": .stringConvertible(counters.frames),
            "faces": .stringConvertible(counters.faces), "hits": .stringConvertible(counters.hits),
            "seconds": .stringConvertible(Date().timeIntervalSince(started)),
        ]
        if let error { metadata["error"] = .string(error) }
        // A gated input's frames (decoded in this run) by what the detector searched.
        if let gate {
            for decision in JobMetrics.GateDecision.allCases {
                metadata["gate_\(decision.rawValue)"] = .stringConvertible(gate[decision] ?? 0)
            }
        }
        logger.log(level: status == .done ? .info : .warning, "input finished", metadata: metadata)
    }

    /// The tracker state right after the checkpointed frame, rebuilt from committed detections.
    func resumedTrackerState(_ input: JobInputRecord) throws -> TrackerState {
        guard let checkpoint = input.checkpointSample else { return .initial }
        let settings = context.manifest.tracking
        let recent = try jobs.detections(jobID: context.jobID, ordinal: input.ordinal,
                                         fromSample: checkpoint - Int64(settings.maxGapFrames))
        let committed = recent.map {
            CommittedDetection(trackID: $0.trackID, sampleOrdinal: $0.sampleOrdinal, box: $0.box, embedding: $0.embedding)
        }
        var state = TrackerState.rebuild(from: committed, checkpointOrdinal: checkpoint, settings: settings)
        // Only recent detections were read; the stored counter knows tracks that ended long ago.
        state.nextTrackID = max(state.nextTrackID, input.nextTrackID)
        return state
    }

    struct BatchResult {
        var detections: [DetectionRow] = []
        var hits: [HitRow] = []
    }

    /// One batch of analysed frames through the stages after analysis: search, tracking, hit
    /// selection and thumbnails; the rows to commit.
    func analyse(_ batch: [FrameLookahead.Analysed], firstSample: Int64, tracker: inout FaceTracker,
                 inputOrdinal: Int) throws -> BatchResult {
        let search = SearchStage(watchlists: watchlists, scope: context.scope, request: context.searchRequest)
        let thumbnails = ThumbnailCutter(reportDirectory: context.reportDirectory, enabled: context.manifest.report.thumbnails)
        let answers = try metrics.time(.search) { try search.search(batch.map(\.faces)) }
        var out = BatchResult()
        for (n, analysed) in batch.enumerated() {
            let frame = analysed.frame, faces = analysed.faces
            let sample = firstSample + Int64(n)
            let pts = frame.ptsMs * 1000
            let observations = faces.enumerated().map { FaceObservation(detectionIndex: $0.offset, box: $0.element.box,
                                                                        embedding: $0.element.embedding) }
            let assignments = tracker.update(SampledFrame(sampleOrdinal: sample, frameIndex: frame.index,
                                                          ptsMicroseconds: pts, faces: observations))
            var trackOf: [Int: Int64] = [:]
            for a in assignments { trackOf[a.detectionIndex] = a.trackID }
            for (d, face) in faces.enumerated() {
                out.detections.append(DetectionRow(
                    frameIndex: frame.index, sampleOrdinal: sample, ptsMicroseconds: pts, detectionIndex: d,
                    box: face.box, score: face.score,
                    trackID: trackOf[d] ?? 0, embedding: face.embedding))
            }
            var written: [Int: String] = [:]
            for (h, m) in HitSelection.hits(answers: answers[n]) {
                let thumb = try thumbnails.cut(frame, box: faces[h.detectionIndex].box, detectionIndex: h.detectionIndex,
                                               inputOrdinal: inputOrdinal, trackID: trackOf[h.detectionIndex] ?? 0,
                                               written: &written)
                out.hits.append(HitRow(frameIndex: frame.index, detectionIndex: h.detectionIndex, identityID: h.identityID,
                                       identityName: m.identityName, externalID: m.externalID, faceID: m.faceID,
                                       distance: h.distance, similarity: Double(m.similarity), rank: h.rank,
                                       threshold: Double(m.threshold), thumbnail: thumb))
            }
        }
        return out
    }
}
