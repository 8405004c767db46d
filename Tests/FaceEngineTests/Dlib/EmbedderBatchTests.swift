import Common
import Media
import XCTest
@testable import FaceEngine

/// Determinism of the embedder: the same batch gives bit-identical descriptors every time and on
/// any number of workers (`ParallelEmbedder` cuts the same batches for one worker as for several).
/// Across batch compositions the descriptors agree to rounding at least: the built-in fallback
/// kernels (OpenBLAS picks its kernels by matrix size, samples share products) differ in the last
/// bits; oneDNN's, which the embedder uses, are even bit-identical (`EmbedderOneDNNTests`).
final class EmbedderBatchTests: XCTestCase {
    private func chips(_ count: Int) -> [RGBImage] {
        (0..<count).compactMap { k in
            var pixels = [UInt8](repeating: 0, count: 67500)
            for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: (i / 3) * (k + 5) / 7 + (i % 3) * 40 + k * 29) }
            return RGBImage(width: 150, height: 150, pixels: pixels)
        }
    }

    func testSameBatchesGiveBitIdenticalDescriptorsOnAnyWorkerCount() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        let chips = chips(7)
        XCTAssertEqual(chips.count, 7)
        XCTAssertEqual(embedder.embed(chips), embedder.embed(chips))
        let one = ParallelEmbedder(embedder: embedder, workers: 1, batchSize: 3).embed(chips)
        let two = ParallelEmbedder(embedder: embedder, workers: 2, batchSize: 3).embed(chips)
        let three = ParallelEmbedder(embedder: embedder, workers: 3, batchSize: 3).embed(chips)
        XCTAssertEqual(one.count, 7)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one, three)
    }

    func testBatchCompositionChangesRoundingOnly() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        let chips = chips(7)
        let batch = embedder.embed(chips)
        for (i, chip) in chips.enumerated() {
            let alone = embedder.embed([chip])[0]
            XCTAssertEqual(alone.count, FaceEmbedder.dimensions)
            let distance = zip(alone, batch[i]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            XCTAssertLessThan(distance, 1e-5, "chip \(i) alone vs in a batch of 7")
        }
    }
}
