import Common
import Media

/// The chip summaries the golden file records: per-channel mean and population standard
/// deviation, and the 8x8 box average (cell edges at `floor(i * size / 8)`).
struct ChipStatistics {
    let mean: [Double]
    let std: [Double]
    let thumb8: [Double]

    init(_ chip: RGBImage) {
        var sum = [Double](repeating: 0, count: 3), sq = [Double](repeating: 0, count: 3)
        let n = Double(chip.width * chip.height)
        for y in 0..<chip.height {
            for x in 0..<chip.width {
                let (r, g, b) = chip.pixel(x: x, y: y)
                for (c, v) in [r, g, b].enumerated() {
                    sum[c] += Double(v)
                    sq[c] += Double(v) * Double(v)
                }
            }
        }
        mean = sum.map { $0 / n }
        std = (0..<3).map { (sq[$0] / n - (sum[$0] / n) * (sum[$0] / n)).squareRoot() }
        let rows = (0...8).map { $0 * chip.height / 8 }, cols = (0...8).map { $0 * chip.width / 8 }
        var cells = [Double]()
        for i in 0..<8 {
            for j in 0..<8 {
                var s = [0.0, 0.0, 0.0]
                var count = 0.0
                for y in rows[i]..<rows[i + 1] {
                    for x in cols[j]..<cols[j + 1] {
                        let (r, g, b) = chip.pixel(x: x, y: y)
                        s[0] += Double(r); s[1] += Double(g); s[2] += Double(b)
                        count += 1
                    }
                }
                cells += s.map { $0 / count }
            }
        }
        thumb8 = cells
    }
}
