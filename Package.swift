// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Swift 5 language mode for now: the C-facing targets pass raw pointers across threads on purpose
/// (one engine per worker), which strict concurrency checking would force into `@unchecked` noise.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v5)]
/// Targets that read untrusted input (video and image files) are optimised even in debug builds,
/// so the test suite runs at a usable speed, but always keep their bounds checks.
let optimised: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
/// The numeric kernels (detection, embedding, search) also drop bounds checks in release: they
/// read only pixels, weights and vectors whose sizes they checked on the way in.
let fastMath: [SwiftSetting] = optimised + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

/// A file of GCC's installation, as `gcc -print-file-name` names it (nil when there is no gcc).
/// Debian's FAISS and oneDNN are built with GCC's OpenMP runtime: their headers include <omp.h>
/// from GCC's own folder, and they link against libgomp. Asking the compiler keeps the GCC
/// version out of this file.
func gccFile(_ name: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gcc", "-print-file-name=\(name)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    // gcc echoes the bare name back when it has no such file.
    guard process.terminationStatus == 0, path.hasPrefix("/") else { return nil }
    return path
}

/// <omp.h> from GCC, searched after clang's own headers so GCC's intrinsics never shadow clang's.
/// No -fopenmp: the shims have no OpenMP pragmas, and clang's flag would pull in LLVM's libomp.
let openMPHeaders: [String] = gccFile("include").map { ["-idirafter", $0] } ?? []
/// libgomp by the path GCC links it from, else the runtime's soname in the system folders.
let openMPLibrary: [String] = gccFile("libgomp.so").map { [$0] } ?? ["-l:libgomp.so.1"]
let openMPCxx: [CXXSetting] = [.unsafeFlags(["-std=c++17", "-O2"] + openMPHeaders)]

let package = Package(
    name: "facejob",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "facejob", targets: ["facejob"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries. Shim headers only; no logic lives here.
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // C ABI over FAISS (Debian's libfaiss-dev).
        .target(name: "CFaiss", cxxSettings: openMPCxx,
                linkerSettings: [.linkedLibrary("faiss"), .linkedLibrary("openblas"), .linkedLibrary("lapack"),
                                 .linkedLibrary("m"), .linkedLibrary("stdc++"), .unsafeFlags(openMPLibrary)]),
        // C ABI over oneDNN's convolution and pooling kernels (Debian's libdnnl-dev, built with OpenMP).
        .target(name: "CDNNL", cxxSettings: openMPCxx,
                linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("stdc++"), .unsafeFlags(openMPLibrary)]),

        // Libraries, bottom up. docs/architecture.md lists what each may import; scripts/check-architecture enforces it.
        .target(name: "Common",
                dependencies: [.product(name: "Logging", package: "swift-log"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: optimised),
        .target(name: "JSON", dependencies: ["Common"], swiftSettings: swiftSettings),
        .target(name: "Media", dependencies: ["CFFmpeg", "Common"], swiftSettings: optimised),
        .target(name: "FaceEngine", dependencies: ["COpenBLAS", "CDNNL", "Common"], swiftSettings: fastMath),
        .target(name: "Search", dependencies: ["COpenBLAS", "CFaiss", "Common"], swiftSettings: fastMath),
        .target(name: "Postgres", dependencies: ["CLibPQ", "Common", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        .target(name: "Store", dependencies: ["Postgres", "Search", "Common"], swiftSettings: swiftSettings),
        .target(name: "Watchlist", dependencies: ["FaceEngine", "Media", "Search", "Postgres", "Store", "Common"],
                swiftSettings: swiftSettings),
        .target(name: "Reports", dependencies: ["Common"], swiftSettings: swiftSettings),
        // The stored faces of finished jobs as a corpus: find (query by example) and its probes.
        .target(name: "Footage",
                dependencies: ["Common", "Postgres", "Search", "Store", "Reports", "FaceEngine", "Media", "Watchlist"],
                swiftSettings: swiftSettings),
        .target(name: "Jobs",
                dependencies: ["Common", "JSON", "Media", "FaceEngine", "Search", "Postgres", "Store", "Watchlist", "Footage",
                               "Reports", .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics")],
                swiftSettings: swiftSettings),
        // The REST API (`facejob serve`): routes and Codable request/response types over the libraries.
        .target(name: "API",
                dependencies: ["Common", "JSON", "Media", "FaceEngine", "Search", "Postgres", "Store", "Watchlist", "Jobs",
                               "Reports", "Footage",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "MultipartKit", package: "multipart-kit"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "CoreMetrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "facejob",
            dependencies: ["Common", "JSON", "Media", "FaceEngine", "Search", "Postgres", "Store", "Watchlist", "Reports",
                           "Jobs", "Footage", "API",
                           "CFFmpeg", "COpenBLAS", "CFaiss",  // version checks in `facejob doctor`
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: swiftSettings),

        // Benchmark drivers (scripts/bench): executables of their own, never in a product.
        .executableTarget(name: "facejob-bench-search", dependencies: ["Search", "COpenBLAS", "Common"],
                          path: "Sources/facejob-bench-search", swiftSettings: fastMath),
        .executableTarget(name: "facejob-bench-search-db", dependencies: ["Postgres", "Store", "Search", "Watchlist", "Common"],
                          path: "Sources/facejob-bench-search-db", swiftSettings: swiftSettings),
        .executableTarget(name: "facejob-bench-footage",
                          dependencies: ["Postgres", "Store", "Watchlist", "FaceEngine", "Footage", "Jobs", "Common"],
                          path: "Sources/facejob-bench-footage", swiftSettings: swiftSettings),
        .executableTarget(name: "facejob-bench-unknowns", dependencies: ["Footage", "Store", "Search", "FaceEngine", "Common"],
                          path: "Sources/facejob-bench-unknowns", swiftSettings: swiftSettings),
        .executableTarget(name: "facejob-bench-seed",
                          dependencies: ["Postgres", "Store", "Search", "Watchlist", "FaceEngine", "Common"],
                          path: "Sources/facejob-bench-seed", swiftSettings: swiftSettings),

        // Tests mirror the targets; TestSupport holds what several of them need (a private
        // schema in the test server, seeded random numbers).
        .target(name: "TestSupport", dependencies: ["Postgres", "Store", "Common"], path: "Tests/TestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "CommonTests", dependencies: ["Common", "TestSupport", .product(name: "Logging", package: "swift-log")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "Common"], swiftSettings: swiftSettings),
        .testTarget(name: "MediaTests", dependencies: ["TestSupport", "Media", "Common"], swiftSettings: swiftSettings),
        .testTarget(name: "FaceEngineTests", dependencies: ["FaceEngine", "Media", "Common"],
                    resources: [.copy("Golden")], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["TestSupport", "Postgres", "Common"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Postgres", "Store", "Search", "Common"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "SearchTests", dependencies: ["TestSupport", "Search", "CFaiss", "COpenBLAS", "Common"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "JobsTests",
                    dependencies: ["TestSupport", "Jobs", "Footage", "JSON", "Postgres", "Store", "Watchlist", "Common"],
                    exclude: ["Corpus"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Common"], exclude: ["Snapshots"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "WatchlistTests",
                    dependencies: ["TestSupport", "Watchlist", "Postgres", "Store", "Search", "FaceEngine", "Media", "Common"],
                    exclude: ["Golden"], swiftSettings: swiftSettings),
        .testTarget(name: "APITests", dependencies: ["TestSupport", "API", "Watchlist", "Postgres", "Store", "Search", "Media", "Common"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "facejobTests", dependencies: ["facejob", "Jobs"], swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Postgres", "Store", "Common"], swiftSettings: swiftSettings),
    ]
)
