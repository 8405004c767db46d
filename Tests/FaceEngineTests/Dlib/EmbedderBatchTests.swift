import Media
import XCTest
@testable import FaceEngine

/// A face's descriptor must not depend on which other faces share its batch (the faces of one
/// image are one batch in `FaceAnalyzer`; `ParallelEmbedder` cuts batches by position): the same
/// chip gives bit-identical floats alone, in a batch of 7, and through the parallel embedder.
final class EmbedderBatchTests: XCTestCase {
    private func chips(_ count: Int) -> [RGBImage] {
        (0..<count).compactMap { k in
            var pixels = [UInt8](repeating: 0, count: 67500)
            for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: (i / 3) * (k + 5) / 7 + (i % 3) * 40 + k * 29) }
            return RGBImage(width: 150, height: 150, pixels: pixels)
        }
    }

    func testDescriptorDoesNotDependOnBatchComposition() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        let chips = chips(7)
        XCTAssertEqual(chips.count, 7)
        let batch = embedder.embed(chips)
        let parallel = ParallelEmbedder(embedder: embedder, workers: 2, batchSize: 3).embed(chips)
        let serial = ParallelEmbedder(embedder: embedder, workers: 1, batchSize: 4).embed(chips)
        for (i, chip) in chips.enumerated() {
            let alone = embedder.embed([chip])[0]
            XCTAssertEqual(alone.count, FaceEmbedder.dimensions)
            XCTAssertEqual(batch[i], alone, "chip \(i) in a batch of 7")
            XCTAssertEqual(parallel[i], alone, "chip \(i) on 2 workers, batches of 3")
            XCTAssertEqual(serial[i], alone, "chip \(i) on 1 worker, batches of 4")
        }
    }
}
