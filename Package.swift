// swift-tools-version:6.0
import PackageDescription

/// Swift 5 language mode for now: the C-facing targets pass raw pointers across threads on purpose
/// (one engine per worker), which strict concurrency checking would force into `@unchecked` noise.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v5)]
/// The numeric targets (decoding, kernels, search) are optimised even in debug builds, so the test
/// suite runs the real models at a usable speed; release drops bounds checks as well.
let fastMath: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "facejob",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "facejob", targets: ["facejob"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C libraries. Shim headers only; no logic lives here.
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(
            name: "CFaiss",
            // FAISS's headers include <omp.h>; it comes from GCC's libgomp (which libfaiss.a was built
            // against), searched after clang's own headers so GCC's intrinsics never shadow clang's.
            // No -fopenmp: the shim has no OpenMP pragmas, and clang's flag would pull in LLVM's libomp.
            cxxSettings: [.unsafeFlags(["-std=c++17", "-O2", "-idirafter", "/usr/lib/gcc/x86_64-linux-gnu/12/include"])],
            linkerSettings: [
                .linkedLibrary("faiss"), .linkedLibrary("openblas"), .linkedLibrary("lapack"),
                .linkedLibrary("m"), .linkedLibrary("stdc++"),
                .unsafeFlags(["-L/usr/lib/gcc/x86_64-linux-gnu/12", "-lgomp"]),
            ]),

        .target(
            name: "CDNNL",
            // oneDNN's convolution and pooling kernels (Debian's libdnnl-dev, built with OpenMP):
            // <omp.h> from GCC's libgomp, as for CFaiss.
            cxxSettings: [.unsafeFlags(["-std=c++17", "-O2", "-idirafter", "/usr/lib/gcc/x86_64-linux-gnu/12/include"])],
            linkerSettings: [
                .linkedLibrary("dnnl"), .linkedLibrary("stdc++"),
                .unsafeFlags(["-L/usr/lib/gcc/x86_64-linux-gnu/12", "-lgomp"]),
            ]),

        // Libraries.
        .target(name: "Common",
                dependencies: [.product(name: "Logging", package: "swift-log"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        .target(name: "Media", dependencies: ["CFFmpeg", "Common"], swiftSettings: fastMath),
        .target(name: "FaceEngine", dependencies: ["COpenBLAS", "CDNNL", "Media", "Common"], swiftSettings: fastMath),
        .target(name: "Store", dependencies: ["CLibPQ", "Common"], swiftSettings: swiftSettings),
        .target(name: "Search", dependencies: ["COpenBLAS", "CFaiss", "Store", "Common"], swiftSettings: fastMath),
        .target(name: "Reports", dependencies: ["Common"], swiftSettings: swiftSettings),
        .target(name: "Jobs",
                dependencies: ["Media", "FaceEngine", "Store", "Search", "Reports", "Common"],
                swiftSettings: swiftSettings),
        // The REST API (`facejob serve`): a thin HTTP layer over the watchlist, engine and job libraries.
        .target(name: "API",
                dependencies: ["Common", "Media", "FaceEngine", "Store", "Search", "Jobs",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "facejob",
            dependencies: ["Common", "Media", "FaceEngine", "Store", "Search", "Reports", "Jobs", "API",
                           "CFFmpeg", "COpenBLAS", "CFaiss",  // version checks in `facejob doctor`
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // `scripts/bench search` drives this; not a product, so users never see it.
        .executableTarget(name: "facejob-bench-search", dependencies: ["Search", "COpenBLAS"],
                          path: "Sources/facejob-bench-search", swiftSettings: fastMath),

        // Database rows of the search benchmark (scripts/bench.d/search-db).
        .executableTarget(name: "facejob-bench-search-db", dependencies: ["Store", "Search"], path: "Sources/facejob-bench-search-db",
                          swiftSettings: swiftSettings),

        // Tests mirror the targets; TestSupport holds what several of them need (a private
        // schema in the test server, seeded random numbers).
        .target(name: "TestSupport", dependencies: ["Store"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "MediaTests", dependencies: ["TestSupport", "Media", "Common"], swiftSettings: swiftSettings),
        .testTarget(name: "FaceEngineTests", dependencies: ["FaceEngine", "Media", "Common"],
                    resources: [.copy("Golden")], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Store", "Common"], swiftSettings: swiftSettings),
        .testTarget(name: "SearchTests", dependencies: ["TestSupport", "Search", "Store", "CFaiss", "COpenBLAS", "Common"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "JobsTests", dependencies: ["TestSupport", "Jobs", "Store", "Common"], exclude: ["Corpus"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Common"], exclude: ["Snapshots"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "WatchlistTests", dependencies: ["TestSupport", "Store", "Search", "FaceEngine", "Media", "Common", "facejob"],
                    exclude: ["Golden"], swiftSettings: swiftSettings),
        .testTarget(name: "APITests", dependencies: ["TestSupport", "API", "Store", "Search", "Media", "Common", "facejob"], swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Common", "facejob"], swiftSettings: swiftSettings),
    ]
)
