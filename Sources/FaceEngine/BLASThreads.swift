import COpenBLAS

/// OpenBLAS's own thread pool. facejob parallelises across faces and frames with Dispatch workers,
/// so by default each sgemm runs on one thread: two levels of threads multiplied only contend.
public enum BLASThreads {
    /// Sets how many threads each OpenBLAS call may use.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// How many threads each OpenBLAS call may use now.
    public static var current: Int { Int(openblas_get_num_threads()) }
}
