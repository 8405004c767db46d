import COpenBLAS
import Foundation

/// Which of OpenBLAS's CPU-specific kernels runs sgemm, and the one this CPU deserves.
///
/// Debian's OpenBLAS is built with DYNAMIC_ARCH and picks its kernels from the CPU's model number
/// when the library loads. Version 0.3.21 does not know recent models (Sapphire Rapids, and CPUs a
/// hypervisor reports as a bare "Intel Xeon Processor") and falls back to its generic Prescott
/// kernels, which run sgemm at a quarter of the AVX-512 kernels' speed. The choice can only be
/// changed before the library loads, through `OPENBLAS_CORETYPE`, so `facejob` re-executes itself
/// once with that variable set (see `reexecutionCoreType`).
public enum BLASKernel {
    /// The kernel family OpenBLAS chose at load time, e.g. "SkylakeX", "Haswell" or "Prescott".
    public static var current: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// The strongest kernel family the CPU's instruction set supports, from the feature flags
    /// the kernel reports (AVX-512 F/BW/DQ/VL → SkylakeX; AVX2 + FMA → Haswell), or nil.
    public static func supported(cpuFlags: Set<String>) -> String? {
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The kernel family to ask for when OpenBLAS settled for a weaker one than the CPU supports;
    /// nil when its own choice is as good or the user chose with `OPENBLAS_CORETYPE` already.
    public static func upgrade(current: String, supported: String?, environment: [String: String]) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, let supported else { return nil }
        let rank = ["haswell": 1, "zen": 1, "skylakex": 2, "cooperlake": 2, "sapphirerapids": 2]
        let have = rank[current.lowercased()] ?? 0, want = rank[supported.lowercased()] ?? 0
        return want > have ? supported : nil
    }

    /// The kernel family `facejob` should re-execute itself with, for this process and machine.
    public static var reexecutionCoreType: String? {
        upgrade(current: current, supported: supported(cpuFlags: cpuFlags()),
                environment: ProcessInfo.processInfo.environment)
    }

    /// The CPU's feature flags from /proc/cpuinfo (empty where that file does not exist).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
