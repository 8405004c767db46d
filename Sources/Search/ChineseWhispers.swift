/// Graph clustering by label propagation, as dlib's `chinese_whispers` does it, made deterministic:
/// nodes are visited in index order, each takes the label with the largest total edge weight
/// among its neighbours (ties: its own label if it is among the best, else the smallest), until a
/// whole pass changes nothing. Nodes given a label keep it and pull their neighbours towards it,
/// so new nodes can join existing clusters without renumbering them. Nodes that cannot be in one
/// cluster (two faces seen in the same frame are two people) never take each other's label.
public enum ChineseWhispers {
    /// The label of every node. `neighbours[i]` lists node i's neighbours with their distances
    /// (within `radius`); `fixed[i]`, when set, is a label node i keeps. A free node starts with a
    /// label of its own, `-(i + 1)`, so labels below zero name clusters of new nodes (by their
    /// first node's index at the start; any member's after merging) and labels from zero up are
    /// the fixed ones. `apart[i]` lists nodes that must not share node i's cluster (symmetric).
    public static func labels(neighbours: [[RadiusNeighbours.Neighbour]], fixed: [Int64?], radius: Float,
                              apart: [[Int]] = [], maxPasses: Int = 100) -> [Int64] {
        precondition(neighbours.count == fixed.count, "one entry per node")
        precondition(apart.isEmpty || apart.count == fixed.count, "one list of conflicts per node")
        var label = fixed.enumerated().map { i, f in f ?? -Int64(i + 1) }
        let free = fixed.indices.filter { fixed[$0] == nil && !neighbours[$0].isEmpty }
        // Closer neighbours weigh more: 1 at distance 0, 0.5 at the radius.
        let scale = radius > 0 ? 0.5 / Double(radius) : 0
        var weights: [Int64: Double] = [:]
        for _ in 0..<maxPasses {
            var changed = false
            for i in free {
                weights.removeAll(keepingCapacity: true)
                for n in neighbours[i] { weights[label[n.row], default: 0] += 1 - Double(n.distance) * scale }
                if !apart.isEmpty {
                    // A label held by a node this one must stay apart from is not an option (but a node
                    // never has to leave a label it holds, so clusters only ever lose conflicts).
                    for j in apart[i] where label[j] != label[i] { weights[label[j]] = nil }
                }
                guard let best = weights.values.max() else { continue }
                let current = label[i]
                if let own = weights[current], own >= best { continue }
                let chosen = weights.filter { $0.value >= best }.keys.min() ?? current
                if chosen != current {
                    label[i] = chosen
                    changed = true
                }
            }
            if !changed { break }
        }
        return label
    }
}
