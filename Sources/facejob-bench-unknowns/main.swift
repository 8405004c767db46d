import Common
import FaceEngine
import Footage
import Foundation
import Search
import Store

// Unknown-person clustering at scale (scripts/bench unknowns). Not part of any product.
//   facejob-bench-unknowns [--tracks 100000] [--identities 5000] [--threshold 0.6] [--seed 1] [--track-spread 0.3]
// Generates tracks of known identities with the geometry of dlib's 128-d face descriptors, seeded
// (SplitMix64, the same data on every run), then times UnknownClustering.place. A track's 5 faces
// share a per-track offset (faces of one track ~0.2 apart, of different tracks of one identity
// ~0.42), and offset and noise are scaled by a per-track factor exp(S · gaussian), S the track
// spread: log-normal, so some tracks (bad angles, low resolution) are much noisier. With
// --track-spread 0 the faces of a track are independent (centre + noise ~0.42 apart), the data of
// the generator before the option existed: the same seed gives the same vectors.
//   full         every track at once, twice (the labels must be identical), and once more through
//                RadiusNeighbours.within and ChineseWhispers.labels separately, to see where time goes;
//   incremental  the first 90 % clustered, then the last 10 % (the last job) placed among them, as a
//                new job joins the persons already stored.
// Quality against the true identities: purity, clusters per identity, identities split. Prints a
// table and one JSON line (the figures for docs/benchmarks.md).

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same numbers on every platform.
struct SplitMix64 {
    var state: UInt64
    var spare: Double?

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<n (n > 0; the modulo bias is below 1e-15 for the sizes used here).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Standard normal (Box–Muller, both values used).
    mutating func gaussian() -> Double {
        if let s = spare {
            spare = nil
            return s
        }
        let u = max(uniform(), 0x1p-60), v = uniform()
        let r = (-2 * log(u)).squareRoot()
        spare = r * sin(2 * .pi * v)
        return r * cos(2 * .pi * v)
    }
}

struct Options {
    var tracks = 100_000
    var identities = 5_000
    var threshold = UnknownClustering.defaultThreshold
    var seed: UInt64 = 1
    /// S of the per-track spread factor exp(S · gaussian); 0: no track offset, independent faces.
    var trackSpread = 0.3
}

let usageText = """
    usage: facejob-bench-unknowns [--tracks N] [--identities N] [--threshold X] [--seed N] [--track-spread S]
      --tracks N       tracks to cluster (default 100000; at least --identities and at least 10)
      --identities N   true identities (default 5000; each has at least one track)
      --threshold X    link distance between representatives (default \(UnknownClustering.defaultThreshold))
      --seed N         seed of the generator (default 1)
      --track-spread S per-track spread (default 0.3): a track's faces share an offset (~0.2 apart within a
                       track, ~0.42 across tracks), offset and noise scaled by exp(S * gaussian) per track;
                       0: independent faces, the data of the generator before this option

    """

func usage(_ problem: String?) -> Never {
    if let problem { FileHandle.standardError.write(Data("facejob-bench-unknowns: \(problem)\n".utf8)) }
    FileHandle.standardError.write(Data(usageText.utf8))
    exit(64)
}

func parse(_ argv: [String]) -> Options {
    var options = Options()
    var i = 1
    while i < argv.count {
        let flag = argv[i]
        if flag == "--help" || flag == "-h" {
            print(usageText, terminator: "")
            exit(0)
        }
        guard i + 1 < argv.count else { usage("\(flag) needs a value") }
        let value = argv[i + 1]
        switch flag {
        case "--tracks":
            guard let n = Int(value), n > 0 else { usage("--tracks takes a positive whole number") }
            options.tracks = n
        case "--identities":
            guard let n = Int(value), n > 0 else { usage("--identities takes a positive whole number") }
            options.identities = n
        case "--threshold":
            guard let x = Float(value), x.isFinite, x > 0 else { usage("--threshold takes a positive number") }
            options.threshold = x
        case "--seed":
            guard let n = UInt64(value) else { usage("--seed takes a whole number ≥ 0") }
            options.seed = n
        case "--track-spread":
            guard let x = Double(value), x.isFinite, x >= 0 else { usage("--track-spread takes a number ≥ 0") }
            options.trackSpread = x
        default:
            usage("unknown argument \(flag)")
        }
        i += 2
    }
    guard options.tracks >= options.identities else { usage("--tracks must be at least --identities") }
    guard options.tracks >= 10 else { usage("--tracks must be at least 10 (the incremental run places the last 10 %)") }
    return options
}

// The geometry, in the units of dlib's descriptors.
let dimension = 128
let facesPerTrack = 5
/// Norm of the mean all descriptors share.
let meanNorm = 0.6
/// Mean distance between two identities' centres.
let identityDistance = 0.85
/// Mean distance between two single faces of one identity (with a track spread, of two tracks, at factor 1).
let faceDistance = 0.42
/// Mean distance between two faces of one track (with a track spread > 0, at factor 1); the rest of
/// faceDistance is the track's offset.
let trackFaceDistance = 0.2
/// Share of identities drawn as look-alikes of an earlier one, and their centres' distance to it.
let lookAlikeShare = 0.03
let lookAlikeDistance = 0.45...0.75
/// Track counts: one each, the rest drawn with weight 1 / (rank + offset) (Zipf–Mandelbrot, s = 1).
let zipfOffset = 10.0

/// The data: tracks in job order and their true identities.
struct Synthetic {
    var tracks: [UnknownTrack]
    /// The true identity of each track.
    var identity: [Int]
    /// Identity centres (mean + offset), row-major.
    var centres: [Double]
    var counts: [Int]
    var lookAlikes: Int
    /// Noise of a single face around its identity centre (track spread 0).
    var faceSigma: Double
    /// Track spread > 0: a face = centre + factor · (track offset + noise), factor = exp(S · gaussian).
    var trackSpread: Double
    var trackSigma: Double
    var noiseSigma: Double
}

func generate(_ options: Options) -> Synthetic {
    var rng = SplitMix64(seed: options.seed)
    let d = dimension, n = options.identities
    let centreSigma = identityDistance / Double(2 * d).squareRoot()
    let faceSigma = faceDistance / Double(2 * d).squareRoot()
    let spread = options.trackSpread
    let trackSigma = (faceDistance * faceDistance - trackFaceDistance * trackFaceDistance).squareRoot() / Double(2 * d).squareRoot()
    let noiseSigma = trackFaceDistance / Double(2 * d).squareRoot()
    let direction = (0..<d).map { _ in rng.gaussian() }
    let directionNorm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let mean = direction.map { $0 * meanNorm / directionNorm }
    // Offsets: independent gaussians, except look-alikes, α·(an earlier offset) + √(1−α²)·(a fresh
    // one), which keeps the norm and puts the two centres `target` apart.
    var offsets = [Double](repeating: 0, count: n * d)
    var lookAlikes = 0
    for i in 0..<n {
        let fresh = (0..<d).map { _ in centreSigma * rng.gaussian() }
        if i > 0 && rng.uniform() < lookAlikeShare {
            let k = rng.below(i)
            let span = lookAlikeDistance.upperBound - lookAlikeDistance.lowerBound
            let target = lookAlikeDistance.lowerBound + span * rng.uniform()
            let alpha = 1 - (target / identityDistance) * (target / identityDistance)
            let beta = (1 - alpha * alpha).squareRoot()
            for j in 0..<d { offsets[i * d + j] = alpha * offsets[k * d + j] + beta * fresh[j] }
            lookAlikes += 1
        } else {
            for j in 0..<d { offsets[i * d + j] = fresh[j] }
        }
    }
    var centres = offsets
    for i in 0..<n {
        for j in 0..<d { centres[i * d + j] += mean[j] }
    }
    // Track counts: every identity one, the rest by Zipf–Mandelbrot weights over the identities.
    var counts = [Int](repeating: 1, count: n)
    var cumulative: [Double] = []
    cumulative.reserveCapacity(n)
    var total = 0.0
    for r in 0..<n {
        total += 1 / (Double(r) + zipfOffset)
        cumulative.append(total)
    }
    for _ in 0..<(options.tracks - n) {
        let x = rng.uniform() * total
        var lo = 0, hi = n - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        counts[lo] += 1
    }
    var identity: [Int] = []
    identity.reserveCapacity(options.tracks)
    for i in 0..<n { identity += [Int](repeating: i, count: counts[i]) }
    for i in stride(from: identity.count - 1, to: 0, by: -1) { identity.swapAt(i, rng.below(i + 1)) }
    // Tracks: the representative is the mean of 5 faces. Track spread 0: each face the centre plus
    // gaussian noise (the generator's data before the option; keep this path as it is). Otherwise a
    // factor exp(S · gaussian), then the track's offset, then each face the centre + factor · (offset
    // + noise). Ten jobs of equal size, 100 tracks per input, ids and times in order.
    var tracks: [UnknownTrack] = []
    tracks.reserveCapacity(options.tracks)
    var sum = [Double](repeating: 0, count: d)
    var offset = [Double](repeating: 0, count: d)
    for t in 0..<options.tracks {
        let id = identity[t]
        for j in 0..<d { sum[j] = 0 }
        if spread == 0 {
            for _ in 0..<facesPerTrack {
                for j in 0..<d { sum[j] += centres[id * d + j] + faceSigma * rng.gaussian() }
            }
        } else {
            let factor = exp(spread * rng.gaussian())
            for j in 0..<d { offset[j] = trackSigma * rng.gaussian() }
            for _ in 0..<facesPerTrack {
                for j in 0..<d { sum[j] += centres[id * d + j] + factor * (offset[j] + noiseSigma * rng.gaussian()) }
            }
        }
        let start = Int64(t) * 2_000_000
        tracks.append(UnknownTrack(jobID: Int64(1 + t * 10 / options.tracks), inputOrdinal: (t / 100) % 100,
                                   trackID: Int64(t + 1), representative: sum.map { Float($0 / Double(facesPerTrack)) },
                                   faces: facesPerTrack, firstMicroseconds: start, lastMicroseconds: start + 1_000_000,
                                   bestFrame: Int64(t) * 50, bestMicroseconds: start + 500_000, bestDetection: 0,
                                   bestScore: 0.99, bestBox: PixelBox(x: 100, y: 100, width: 80, height: 80)))
    }
    return Synthetic(tracks: tracks, identity: identity, centres: centres, counts: counts, lookAlikes: lookAlikes,
                     faceSigma: faceSigma, trackSpread: spread, trackSigma: trackSigma, noiseSigma: noiseSigma)
}

func distance(_ a: [Float], _ b: [Float]) -> Double {
    var s = 0.0
    for k in a.indices {
        let t = Double(a[k]) - Double(b[k])
        s += t * t
    }
    return s.squareRoot()
}

/// Median, 5th and 95th percentile.
struct Spread {
    var p5: Double
    var median: Double
    var p95: Double

    init(_ values: [Double]) {
        let s = values.sorted()
        func at(_ p: Double) -> Double { s.isEmpty ? .nan : s[Int((p * Double(s.count - 1)).rounded())] }
        p5 = at(0.05)
        median = at(0.5)
        p95 = at(0.95)
    }

    var text: String { String(format: "%.3f  [%.3f, %.3f]", median, p5, p95) }
    /// JSON; null where there were no pairs (one identity, or one track each).
    var json: String {
        median.isNaN ? "null" : String(format: "{\"p5\":%.4f,\"median\":%.4f,\"p95\":%.4f}", p5, median, p95)
    }
}

/// Distances on random pairs: representatives of two tracks, and two fresh single faces (of two
/// fresh tracks), of one identity and of two; and two faces of one fresh track. A generator of its
/// own, so the sample does not change the data.
struct Distributions {
    var sameRepresentative: Spread
    var otherRepresentative: Spread
    var sameFace: Spread
    var otherFace: Spread
    var sameTrackFace: Spread
    /// Share of sampled same-identity / different-identity representative pairs within the threshold.
    var sameWithin: Double
    var otherWithin: Double
    var pairs: Int
}

func measure(_ data: Synthetic, options: Options, pairs: Int = 20_000) -> Distributions {
    var rng = SplitMix64(seed: options.seed ^ 0xD15C_0DE5_5A3B_1E00)
    let d = dimension, count = data.tracks.count
    var members = [[Int]](repeating: [], count: options.identities)
    for (t, id) in data.identity.enumerated() { members[id].append(t) }
    /// A fresh track's factor and offset (track spread > 0).
    func track() -> (factor: Double, offset: [Double]) {
        let factor = exp(data.trackSpread * rng.gaussian())
        return (factor, (0..<d).map { _ in data.trackSigma * rng.gaussian() })
    }
    /// A single face of identity `id`, of `track`; without one, of a fresh track.
    func face(_ id: Int, of given: (factor: Double, offset: [Double])? = nil) -> [Float] {
        if data.trackSpread == 0 { return (0..<d).map { Float(data.centres[id * d + $0] + data.faceSigma * rng.gaussian()) } }
        let (factor, offset) = given ?? track()
        return (0..<d).map { Float(data.centres[id * d + $0] + factor * (offset[$0] + data.noiseSigma * rng.gaussian())) }
    }
    var sameRep: [Double] = [], otherRep: [Double] = [], sameFace: [Double] = [], otherFace: [Double] = []
    let repeatable = members.contains { $0.count > 1 }
    while sameRep.count < pairs && repeatable {
        let t = rng.below(count), id = data.identity[t]
        guard members[id].count > 1 else { continue }
        var u = t
        while u == t { u = members[id][rng.below(members[id].count)] }
        sameRep.append(distance(data.tracks[t].representative, data.tracks[u].representative))
        sameFace.append(distance(face(id), face(id)))
    }
    while otherRep.count < pairs && options.identities > 1 {
        let t = rng.below(count), u = rng.below(count)
        guard data.identity[t] != data.identity[u] else { continue }
        otherRep.append(distance(data.tracks[t].representative, data.tracks[u].representative))
        otherFace.append(distance(face(data.identity[t]), face(data.identity[u])))
    }
    // Last, so that the samples above are those of the generator before the track spread.
    var sameTrackFace: [Double] = []
    while sameTrackFace.count < pairs {
        let id = data.identity[rng.below(count)]
        let shared = data.trackSpread == 0 ? nil : track()
        sameTrackFace.append(distance(face(id, of: shared), face(id, of: shared)))
    }
    let r = Double(options.threshold)
    return Distributions(sameRepresentative: Spread(sameRep), otherRepresentative: Spread(otherRep),
                         sameFace: Spread(sameFace), otherFace: Spread(otherFace), sameTrackFace: Spread(sameTrackFace),
                         sameWithin: Double(sameRep.filter { $0 <= r }.count) / Double(max(1, sameRep.count)),
                         otherWithin: Double(otherRep.filter { $0 <= r }.count) / Double(max(1, otherRep.count)),
                         pairs: pairs)
}

/// Cluster number of each track (tracks are numbered by trackID − 1), from an outcome of new tracks only.
func labels(_ outcome: UnknownClustering.Outcome, count: Int) -> [Int] {
    var label = [Int](repeating: -1, count: count)
    for (g, group) in outcome.newPersons.enumerated() {
        for track in group { label[Int(track.trackID) - 1] = g }
    }
    return label
}

/// Any labelling renumbered by first appearance, so two labellings compare as partitions.
func canonical<L: Hashable>(_ labels: [L]) -> [Int] {
    var seen: [L: Int] = [:]
    return labels.map { label in
        if let n = seen[label] { return n }
        seen[label] = seen.count
        return seen.count - 1
    }
}

struct Quality {
    var purity: Double
    var clusters: Int
    var identities: Int
    var clustersPerIdentity: Double
    var splitShare: Double
    /// Clusters holding tracks of more than one identity.
    var mixedClusters: Int

    init(labels: [Int], identity: [Int]) {
        let dense = canonical(labels)
        clusters = (dense.max() ?? -1) + 1
        identities = Set(identity).count
        // (cluster, identity) pairs sorted: runs give the counts.
        let keys = zip(dense, identity).map { Int64($0) << 32 | Int64($1) }.sorted()
        var majority = [Int](repeating: 0, count: clusters)
        var kinds = [Int](repeating: 0, count: clusters)
        var clustersOf = [Int: Int]()
        var i = 0
        while i < keys.count {
            var j = i
            while j < keys.count && keys[j] == keys[i] { j += 1 }
            let cluster = Int(keys[i] >> 32), id = Int(keys[i] & 0xFFFF_FFFF)
            majority[cluster] = max(majority[cluster], j - i)
            kinds[cluster] += 1
            clustersOf[id, default: 0] += 1
            i = j
        }
        purity = Double(majority.reduce(0, +)) / Double(max(1, labels.count))
        clustersPerIdentity = Double(clusters) / Double(max(1, identities))
        splitShare = Double(clustersOf.values.filter { $0 > 1 }.count) / Double(max(1, identities))
        mixedClusters = kinds.filter { $0 > 1 }.count
    }

    var json: String {
        String(format: "{\"purity\":%.5f,\"clusters\":%d,\"identities\":%d,\"clusters_per_identity\":%.4f,"
               + "\"identities_split\":%.5f,\"mixed_clusters\":%d}",
               purity, clusters, identities, clustersPerIdentity, splitShare, mixedClusters)
    }
}

func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

func timed<T>(_ body: () -> T) -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = body()
    return (value, seconds(since: start))
}

/// A figure in kB from /proc/self/status (VmHWM: peak resident set, VmRSS: now); 0 if absent.
func statusKiB(_ key: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count > 1 ? Int(fields[1]) ?? 0 : 0
    }
    return 0
}

func progress(_ text: String) { FileHandle.standardError.write(Data("bench unknowns: \(text)\n".utf8)) }

// MARK: - Run

let processStart = DispatchTime.now().uptimeNanoseconds
let options = parse(CommandLine.arguments)
// RadiusNeighbours runs one sgemm per tile inside DispatchQueue.concurrentPerform: each on one thread.
BLASThreads.set(1)
let clustering = UnknownClustering(threshold: options.threshold)
let cores = AvailableCores.count

progress("generating \(options.tracks) tracks of \(options.identities) identities (seed \(options.seed))")
let (data, generateSeconds) = timed { generate(options) }
let count = data.tracks.count
let dist = measure(data, options: options)
// Close identities: pairs of centres within 0.5 / 0.6 / 0.7.
let closeCentres = RadiusNeighbours.within(data.centres.map { Float($0) }, dimension: dimension, radius: 0.7)
    .enumerated().flatMap { i, row in row.filter { $0.row > i }.map(\.distance) }
let sortedCounts = data.counts.sorted()
let rssAfterData = statusKiB("VmRSS")

progress("full clustering, twice")
let (fullOutcome, fullSeconds) = timed { clustering.place(new: data.tracks, placed: []) }
let fullLabels = labels(fullOutcome, count: count)
let (repeatOutcome, repeatSeconds) = timed { clustering.place(new: data.tracks, placed: []) }
let deterministic = fullOutcome.joined.isEmpty && repeatOutcome.joined.isEmpty && !fullLabels.contains(-1)
    && fullLabels == labels(repeatOutcome, count: count)
let full = Quality(labels: fullLabels, identity: data.identity)

progress("full clustering, stage by stage")
let vectors = data.tracks.flatMap(\.representative)
let (neighbours, withinSeconds) = timed {
    RadiusNeighbours.within(vectors, dimension: dimension, radius: options.threshold, limit: clustering.neighbourLimit)
}
let (whispers, whispersSeconds) = timed {
    ChineseWhispers.labels(neighbours: neighbours, fixed: [Int64?](repeating: nil, count: count), radius: options.threshold,
                           apart: UnknownClustering.simultaneous(data.tracks))
}
let stagesAgree = canonical(whispers) == canonical(fullLabels)
var links = 0, crossLinks = 0
for (i, row) in neighbours.enumerated() {
    for n in row where n.row > i {
        links += 1
        if data.identity[i] != data.identity[n.row] { crossLinks += 1 }
    }
}
let samePairs = data.counts.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
let sameLinks = links - crossLinks

progress("incremental: the first 90 %, then the last 10 % among them")
let split = count - count / 10
let firstTracks = Array(data.tracks[..<split]), lastTracks = Array(data.tracks[split...])
let (firstOutcome, firstSeconds) = timed { clustering.place(new: firstTracks, placed: []) }
var person = [Int64](repeating: 0, count: count)
for (g, group) in firstOutcome.newPersons.enumerated() {
    for track in group { person[Int(track.trackID) - 1] = Int64(g + 1) }
}
let firstPersons = firstOutcome.newPersons.count
let placed = firstTracks.map { (personID: person[Int($0.trackID) - 1], track: $0) }
let (lastOutcome, lastSeconds) = timed { clustering.place(new: lastTracks, placed: placed) }
// Placed tracks are never in an outcome, so their ids stand; check that the outcome covers exactly
// the new tracks, and joins only persons of the first pass.
let placedIDs = person[..<split]
let returned = lastOutcome.joined.map { Int($0.track.trackID) - 1 }
    + lastOutcome.newPersons.flatMap { $0.map { Int($0.trackID) - 1 } }
let unchanged = firstOutcome.joined.isEmpty && !placedIDs.contains(0)
    && returned.sorted() == Array(split..<count)
    && lastOutcome.joined.allSatisfy { $0.personID >= 1 && $0.personID <= Int64(firstPersons) }
for (personID, track) in lastOutcome.joined { person[Int(track.trackID) - 1] = personID }
for (g, group) in lastOutcome.newPersons.enumerated() {
    for track in group { person[Int(track.trackID) - 1] = Int64(firstPersons + g + 1) }
}
let incremental = Quality(labels: canonical(person), identity: data.identity)
// How the joins went: the joined person's majority identity against the track's own.
var majorityOf: [Int64: Int] = [:]
do {
    var tally: [Int64: [Int: Int]] = [:]
    for t in 0..<split { tally[person[t], default: [:]][data.identity[t], default: 0] += 1 }
    for (p, counts) in tally {
        majorityOf[p] = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
let joinedRight = lastOutcome.joined.filter { majorityOf[$0.personID] == data.identity[Int($0.track.trackID) - 1] }.count
let seenBefore = Set(data.identity[..<split])
let newTrackCount = lastOutcome.newPersons.reduce(0) { $0 + $1.count }
let newButKnown = lastOutcome.newPersons.flatMap { $0 }.filter { seenBefore.contains(data.identity[Int($0.trackID) - 1]) }.count
let lastKnown = data.identity[split...].filter(seenBefore.contains).count

let peakKiB = statusKiB("VmHWM")
let elapsed = seconds(since: processStart)

// MARK: - Report

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
func verdict(_ ok: Bool) -> String { ok ? "ok" : "MISSED" }
let faceText = options.trackSpread == 0
    ? "face = centre + gaussian noise (faces ~\(faceDistance) apart); track spread \(options.trackSpread) (a track's faces independent)"
    : "face = centre + f · (track offset + gaussian noise), f = exp(\(options.trackSpread) · gaussian) per track: "
        + "track spread \(options.trackSpread) (at f = 1 faces ~\(trackFaceDistance) apart within a track, "
        + "~\(faceDistance) across tracks)"
let fullOK = fullSeconds < 60, purityOK = full.purity >= 0.98, clustersOK = full.clustersPerIdentity <= 1.3
print("""
    unknown-person clustering: \(count) tracks of \(options.identities) identities, threshold \(options.threshold), \
    seed \(options.seed), \(cores) cores, OpenBLAS \(BLASKernel.current) kernels, \
    \(BLASThreads.current) thread(s) per sgemm
    data: 128-d, shared mean (norm \(meanNorm)) + identity offset (centres ~\(identityDistance) apart; \
    \(data.lookAlikes) look-alikes, \(Int(lookAlikeShare * 100)) %, drawn \(lookAlikeDistance.lowerBound)–\
    \(lookAlikeDistance.upperBound) from an earlier identity); a track's representative = mean of \(facesPerTrack) faces, \
    \(faceText)
    tracks per identity: 1 each + the rest Zipf–Mandelbrot 1/(rank + \(Int(zipfOffset))): min \(sortedCounts.first ?? 0), \
    median \(sortedCounts[sortedCounts.count / 2]), max \(sortedCounts.last ?? 0), \
    \(data.counts.filter { $0 == 1 }.count) identities with one track; 10 jobs in order, the last is the incremental 10 %
    generated in \(f(generateSeconds, 1)) s; RSS with the data \(rssAfterData / 1024) MiB

    distances on \(dist.pairs) random pairs each: median [5th, 95th percentile]
      single faces, same identity        \(dist.sameFace.text)
      single faces, different identities \(dist.otherFace.text)
      single faces, same track           \(dist.sameTrackFace.text)
      representatives, same identity     \(dist.sameRepresentative.text)   within threshold: \(f(100 * dist.sameWithin, 1)) %
      representatives, different         \(dist.otherRepresentative.text)   within threshold: \(f(100 * dist.otherWithin, 3)) %
      identity pairs with centres within 0.5 / 0.6 / 0.7: \(closeCentres.filter { $0 <= 0.5 }.count) / \
    \(closeCentres.filter { $0 <= 0.6 }.count) / \(closeCentres.count)
    links at the threshold: \(links) (\(crossLinks) between different identities); \
    same-identity pairs linked: \(sameLinks) of \(samePairs)

    | measure | full (100 %) | incremental (90 % + 10 %) | goal |
    |---|---:|---:|---|
    | seconds | \(f(fullSeconds)) (repeat \(f(repeatSeconds))) | \(f(firstSeconds)) + \(f(lastSeconds)) | \
    < 60 s full: \(verdict(fullOK)) |
    |   RadiusNeighbours.within | \(f(withinSeconds)) | | |
    |   ChineseWhispers.labels | \(f(whispersSeconds)) | | |
    | purity | \(f(full.purity, 4)) | \(f(incremental.purity, 4)) | ≥ 0.98: \(verdict(purityOK)) |
    | clusters | \(full.clusters) | \(incremental.clusters) | |
    | clusters per true identity | \(f(full.clustersPerIdentity, 3)) | \(f(incremental.clustersPerIdentity, 3)) | \
    ≤ 1.3: \(verdict(clustersOK)) |
    | identities split into > 1 cluster | \(f(100 * full.splitShare, 2)) % | \(f(100 * incremental.splitShare, 2)) % | |
    | clusters mixing identities | \(full.mixedClusters) | \(incremental.mixedClusters) | |

    incremental: the first pass made \(firstPersons) persons; of the last \(count - split) tracks, \(lastOutcome.joined.count) \
    joined existing persons (\(joinedRight) of them the person of their own identity) and \(newTrackCount) formed \
    \(lastOutcome.newPersons.count) new persons (\(newButKnown) of these tracks belong to an identity seen in the first 90 %, \
    as do \(lastKnown) of all the last tracks); first-pass ids unchanged: \(unchanged ? "yes" : "NO")
    deterministic: \(deterministic ? "yes" : "no"); stage-by-stage labels match place(): \(stagesAgree ? "yes" : "NO")
    peak RSS (VmHWM) \(peakKiB / 1024) MiB; elapsed \(f(elapsed, 1)) s
    """)
let figures: [(String, String)] = [
    ("tracks", "\(count)"), ("identities", "\(options.identities)"), ("threshold", "\(options.threshold)"),
    ("seed", "\(options.seed)"), ("track_spread", "\(options.trackSpread)"), ("cores", "\(cores)"), ("blas_threads", "\(BLASThreads.current)"),
    ("blas_kernel", "\"\(BLASKernel.current)\""),    ("look_alikes", "\(data.lookAlikes)"),
    ("tracks_per_identity", "{\"min\":\(sortedCounts.first ?? 0),\"median\":\(sortedCounts[sortedCounts.count / 2]),"
        + "\"max\":\(sortedCounts.last ?? 0)}"),
    ("face_same", dist.sameFace.json), ("face_other", dist.otherFace.json), ("face_same_track", dist.sameTrackFace.json),
    ("rep_same", dist.sameRepresentative.json), ("rep_other", dist.otherRepresentative.json),
    ("links", "\(links)"), ("cross_identity_links", "\(crossLinks)"),
    ("full_seconds", f(fullSeconds, 3)), ("full_repeat_seconds", f(repeatSeconds, 3)),
    ("within_seconds", f(withinSeconds, 3)), ("whispers_seconds", f(whispersSeconds, 3)), ("full", full.json),
    ("incremental_first_seconds", f(firstSeconds, 3)), ("incremental_last_seconds", f(lastSeconds, 3)),
    ("incremental", incremental.json), ("incremental_joined", "\(lastOutcome.joined.count)"),
    ("incremental_joined_own_identity", "\(joinedRight)"), ("incremental_new_persons", "\(lastOutcome.newPersons.count)"),
    ("incremental_new_person_tracks", "\(newTrackCount)"), ("first_pass_ids_unchanged", "\(unchanged)"),
    ("deterministic", "\(deterministic)"), ("stages_agree", "\(stagesAgree)"), ("peak_rss_mib", "\(peakKiB / 1024)"),
    ("elapsed_seconds", f(elapsed, 1)),
]
print("{" + figures.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
exit(deterministic && unchanged && stagesAgree ? 0 : 1)
