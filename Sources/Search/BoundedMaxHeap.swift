/// The `capacity` smallest (score, row) pairs seen so far, kept as a max-heap in caller-owned
/// buffers so the exact searcher can run one heap per query without allocating. Ties order by
/// row, and rows are embedding ids' ascending positions, so ties break by id.
struct BoundedMaxHeap {
    let scores: UnsafeMutablePointer<Float>
    let rows: UnsafeMutablePointer<Int>
    let capacity: Int
    private(set) var count = 0

    /// A heap over buffers of `capacity` slots whose first `count` already hold a heap.
    init(scores: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<Int>, capacity: Int, count: Int = 0) {
        self.scores = scores
        self.rows = rows
        self.capacity = capacity
        self.count = count
    }

    /// The worst score kept, once full; candidates must beat it to enter.
    @inline(__always) var isFull: Bool { count == capacity }
    @inline(__always) var worstScore: Float { scores[0] }

    @inline(__always) private func worse(_ i: Int, than j: Int) -> Bool {
        scores[i] > scores[j] || (scores[i] == scores[j] && rows[i] > rows[j])
    }

    /// Offers a candidate; keeps it if the heap has room or it beats the worst kept.
    mutating func offer(score: Float, row: Int) {
        if count < capacity {
            var i = count
            scores[i] = score
            rows[i] = row
            count += 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard worse(i, than: parent) else { break }
                swapAt(i, parent)
                i = parent
            }
            return
        }
        guard score < scores[0] || (score == scores[0] && row < rows[0]) else { return }
        scores[0] = score
        rows[0] = row
        var i = 0
        while true {
            let left = 2 * i + 1, right = left + 1
            var largest = i
            if left < count && worse(left, than: largest) { largest = left }
            if right < count && worse(right, than: largest) { largest = right }
            if largest == i { break }
            swapAt(i, largest)
            i = largest
        }
    }

    @inline(__always) private func swapAt(_ i: Int, _ j: Int) {
        let s = scores[i]; scores[i] = scores[j]; scores[j] = s
        let r = rows[i]; rows[i] = rows[j]; rows[j] = r
    }
}
