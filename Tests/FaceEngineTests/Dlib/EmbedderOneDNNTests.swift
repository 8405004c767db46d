import Common
import Media
import XCTest
@testable import FaceEngine

/// The embedder's convolutions run on oneDNN (falling back to the built-in kernels only if oneDNN
/// fails): each real layer of the model, with its fused ReLU or its residual join (dlib's
/// `add_prev`, also onto more channels than the shortcut has), equals the built-in `Conv2D` to
/// float rounding, for one sample and for a batch.
final class EmbedderOneDNNTests: XCTestCase {
    private func check(_ index: Int, _ layer: Conv2D, _ x: Tensor, residual: Tensor?, relu: Bool,
                       chains: DNNLChainCache, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fast = try FaceEmbedder.oneDNNConvolution(index, layer, x, residual: residual, relu: relu, chains: chains)
        let reference = layer.forward(x, residual: residual, relu: relu)
        assertClose(fast, reference, accuracy: 2e-4, what, file: file, line: line)
    }

    func testEveryKindOfLayerEqualsTheBuiltInKernels() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        let chains = DNNLChainCache(limit: 8)
        for n in [1, 3] {
            let input = Naive.tensor(n, 3, 150, 150, seed: UInt64(n))
            try check(0, embedder.conv0, input, residual: nil, relu: true, chains: chains, "conv0 7x7/2, n \(n)")
            // Block 3 halves the resolution and goes from 32 to 64 channels: its shortcut is an
            // average-pooled 32-channel tensor joined onto the first 32 of 64 output channels.
            let block = embedder.blocks[3]
            XCTAssertTrue(block.downsample)
            let x = Naive.tensor(n, 32, 35, 35, seed: UInt64(10 + n)).data.map { max($0, 0) }
            let xt = Tensor(n: n, c: 32, h: 35, w: 35, data: x)
            try check(1, block.a, xt, residual: nil, relu: true, chains: chains, "block3.a 3x3/2, n \(n)")
            let y = block.a.forward(xt, residual: nil, relu: true)
            let shortcut = AvgPool2D(kernelH: 2, kernelW: 2, strideY: 2, strideX: 2, padding: .symmetric(y: 0, x: 0)).forward(xt)
            XCTAssertEqual(shortcut.c, 32)
            XCTAssertEqual(block.b.outChannels, 64)
            try check(2, block.b, y, residual: shortcut, relu: true, chains: chains, "block3.b + shortcut, n \(n)")
            // An identity block: residual of equal shape.
            let same = embedder.blocks[4]
            let z = Naive.tensor(n, 64, 17, 17, seed: UInt64(20 + n))
            try check(3, same.b, z, residual: z, relu: true, chains: chains, "block4.b + identity, n \(n)")
            try check(4, same.b, z, residual: nil, relu: false, chains: chains, "block4.b linear, n \(n)")
        }
    }

    /// A descriptor does not depend on the batch it was computed in: oneDNN's kernels treat every
    /// sample alike (OpenBLAS did not), so a face embedded alone or among others is bit-identical.
    func testDescriptorsDoNotDependOnTheBatch() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        let chips = (0..<4).compactMap { k in
            RGBImage(width: 150, height: 150,
                           pixels: (0..<67500).map { UInt8(truncatingIfNeeded: ($0 / 3) * (k + 3) / 5 + ($0 % 3) * 50 + k * 31) })
        }
        let batch = embedder.embed(chips)
        for (i, chip) in chips.enumerated() {
            XCTAssertEqual(embedder.embed([chip])[0], batch[i], "chip \(i)")
        }
    }

    /// The whole network as one oneDNN chain (residuals added by the convolutions, shortcuts
    /// pooled and zero-extended inside it, blocks 10 and 13 summing a 3x3 and a 1x1 output onto
    /// larger shortcuts) gives the descriptors of the layer-by-layer path, for one chip and a batch.
    func testTheWholeNetworkAsOneChainEqualsLayerByLayer() throws {
        let embedder = try EngineFixtures.catalog().embedder()
        for n in [1, 3] {
            let input = Naive.tensor(n, 3, 150, 150, seed: UInt64(40 + n))
            let whole = try embedder.networkForward(input)
            let layered = embedder.forward(input, observe: { _, _, _ in })  // observing runs layer by layer
            XCTAssertEqual(whole.n, n)
            XCTAssertEqual(whole.c, FaceEmbedder.dimensions)
            assertClose(whole, layered, accuracy: 1e-5, "descriptors, n \(n)")
        }
    }
}
