import Search
import Store

/// Groups unmatched tracks into unknown persons, deterministically and without renumbering:
/// tracks already placed keep their person and pull new tracks towards it; new tracks that join
/// no one form new persons among themselves. The graph links two tracks whose representatives
/// (the mean of each track's best faces) lie within `threshold`, and Chinese whispers labels it
/// (`ChineseWhispers`). Two tracks seen at the same time in the same input are two people and
/// never share a person, however alike they look. The same tracks in the same state give the same
/// persons in the same order.
public struct UnknownClustering: Sendable {
    /// Link distance between two tracks' representatives. The default, 0.55, is a little under the
    /// dlib model's verify threshold (0.6): averaging removes a track's noise, so the means of two
    /// different people lie closer together than their single faces do, and a wrong link costs an
    /// analyst more than a split (a person promoted from a mixed group enrols two people).
    /// Simultaneous tracks never share a person, and Chinese whispers follows the weight of many
    /// links, not one stray link.
    public var threshold: Float

    /// Clustering with a link threshold.
    public init(threshold: Float = UnknownClustering.defaultThreshold) {
        self.threshold = threshold
    }

    /// The default link threshold.
    public static let defaultThreshold: Float = 0.55

    /// Links kept per track: its nearest. A person seen thousands of times would otherwise link
    /// every pair of its tracks (memory quadratic in the sightings); its nearest tracks are its
    /// own either way.
    public var neighbourLimit = 48

    /// What clustering decided for the new tracks.
    public struct Outcome: Sendable {
        /// New tracks that join existing persons.
        public var joined: [(personID: Int64, track: UnknownTrack)]
        /// New persons, each a list of new tracks, ordered by their first track (in `new`'s order).
        public var newPersons: [[UnknownTrack]]
    }

    /// Places `new` tracks (in a fixed order: job, input, time) among the `placed` ones.
    public func place(new: [UnknownTrack], placed: [(personID: Int64, track: UnknownTrack)]) -> Outcome {
        guard let dimension = (new.first ?? placed.first?.track)?.representative.count, dimension > 0 else {
            return Outcome(joined: [], newPersons: [])
        }
        // Settled nodes first: links among them are not needed.
        let nodes = placed.map(\.track) + new
        var vectors: [Float] = []
        vectors.reserveCapacity(nodes.count * dimension)
        var usable = [Bool](repeating: true, count: nodes.count)
        for (i, node) in nodes.enumerated() {
            if node.representative.count == dimension {
                vectors += node.representative
            } else {
                // Another model's vector (never in practice): it links to nothing.
                usable[i] = false
                vectors += [Float](repeating: 0, count: dimension)
            }
        }
        var neighbours = RadiusNeighbours.within(vectors, dimension: dimension, radius: threshold, settled: placed.count,
                                                 limit: neighbourLimit)
        for i in neighbours.indices where !usable[i] { neighbours[i] = [] }
        for i in neighbours.indices { neighbours[i].removeAll { !usable[$0.row] } }
        let fixed: [Int64?] = placed.map { $0.personID } + new.map { _ in nil }
        let labels = ChineseWhispers.labels(neighbours: neighbours, fixed: fixed, radius: threshold,
                                            apart: Self.simultaneous(nodes))
        var joined: [(personID: Int64, track: UnknownTrack)] = []
        var groups: [Int64: Int] = [:]
        var newPersons: [[UnknownTrack]] = []
        for (offset, track) in new.enumerated() {
            let label = labels[placed.count + offset]
            if label >= 0 {
                joined.append((label, track))
            } else if let g = groups[label] {
                newPersons[g].append(track)
            } else {
                groups[label] = newPersons.count
                newPersons.append([track])
            }
        }
        return Outcome(joined: joined, newPersons: newPersons)
    }

    /// For each track, the tracks of the same input whose time spans overlap its own.
    public static func simultaneous(_ tracks: [UnknownTrack]) -> [[Int]] {
        var apart = [[Int]](repeating: [], count: tracks.count)
        var byInput: [String: [Int]] = [:]
        for (i, t) in tracks.enumerated() { byInput["\(t.jobID)/\(t.inputOrdinal)", default: []].append(i) }
        for members in byInput.values {
            let sorted = members.sorted { tracks[$0].firstMicroseconds < tracks[$1].firstMicroseconds }
            for (n, i) in sorted.enumerated() {
                for j in sorted[(n + 1)...] {
                    if tracks[j].firstMicroseconds > tracks[i].lastMicroseconds { break }
                    apart[i].append(j)
                    apart[j].append(i)
                }
            }
        }
        return apart
    }
}
