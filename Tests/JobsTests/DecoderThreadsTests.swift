import XCTest
@testable import Jobs

/// How an input's cores are split between FFmpeg's decoder and the analysis threads.
final class DecoderThreadsTests: XCTestCase {
    func testOneDecoderThreadUntilAnalysisLeavesCoresIdle() {
        XCTAssertEqual((1...9).map { DecodeOptionsSpec.decoderThreads(analysisThreads: $0) }, [1, 1, 1, 2, 2, 3, 3, 4, 4])
        var spec = DecodeOptionsSpec()
        spec.threads = DecodeOptionsSpec.decoderThreads(analysisThreads: 8)
        XCTAssertEqual(spec.options.threads, 4, "the decoder is opened with them")
        spec.threads = 0
        XCTAssertEqual(spec.options.threads, 1, "never FFmpeg's automatic count (one per core of the machine)")
    }
}
