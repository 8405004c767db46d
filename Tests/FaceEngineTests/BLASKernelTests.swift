import XCTest
@testable import FaceEngine

/// The OpenBLAS kernel choice `facejob` re-executes with when the library misdetects the CPU.
final class BLASKernelTests: XCTestCase {
    let avx512: Set<String> = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]

    func testSupportedFamilyFollowsTheInstructionSet() {
        XCTAssertEqual(BLASKernel.supported(cpuFlags: avx512), "SkylakeX")
        XCTAssertEqual(BLASKernel.supported(cpuFlags: ["avx", "avx2", "fma"]), "Haswell")
        XCTAssertEqual(BLASKernel.supported(cpuFlags: ["avx", "avx512f"]), nil)  // AVX-512F alone, no AVX2: nothing to gain
        XCTAssertEqual(BLASKernel.supported(cpuFlags: []), nil)
    }

    func testUpgradesOnlyAWeakerChoiceAndNeverOverridesTheUser() {
        XCTAssertEqual(BLASKernel.upgrade(current: "Prescott", supported: "SkylakeX", environment: [:]), "SkylakeX")
        XCTAssertEqual(BLASKernel.upgrade(current: "Haswell", supported: "SkylakeX", environment: [:]), "SkylakeX")
        XCTAssertNil(BLASKernel.upgrade(current: "SkylakeX", supported: "SkylakeX", environment: [:]))
        XCTAssertNil(BLASKernel.upgrade(current: "Cooperlake", supported: "SkylakeX", environment: [:]))
        XCTAssertNil(BLASKernel.upgrade(current: "Zen", supported: "Haswell", environment: [:]))
        XCTAssertNil(BLASKernel.upgrade(current: "Prescott", supported: nil, environment: [:]))
        XCTAssertNil(BLASKernel.upgrade(current: "Prescott", supported: "SkylakeX", environment: ["OPENBLAS_CORETYPE": "Prescott"]))
    }

    func testThisProcessRunsTheKernelsTheTestScriptAskedFor() throws {
        // scripts/test exports the binary's choice so in-process embeddings match the binary's bit for bit.
        guard let asked = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] else {
            throw XCTSkip("OPENBLAS_CORETYPE not set (scripts/test sets it)")
        }
        XCTAssertEqual(BLASKernel.current.lowercased(), asked.lowercased())
    }
}
