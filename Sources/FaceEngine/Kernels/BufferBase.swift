/// Start pointers of buffers the kernels already know to be non-empty. An empty buffer here is
/// a bug in the calling kernel (sizes are checked before), hence a precondition, not an error.
extension UnsafeBufferPointer {
    @inlinable var base: UnsafePointer<Element> {
        guard let b = baseAddress else { preconditionFailure("kernel buffer unexpectedly empty") }
        return b
    }
}

extension UnsafeMutableBufferPointer {
    @inlinable var base: UnsafeMutablePointer<Element> {
        guard let b = baseAddress else { preconditionFailure("kernel buffer unexpectedly empty") }
        return b
    }
}

/// A float scratch buffer owned by one kernel call (im2col columns, product staging).
struct Scratch {
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        pointer = .allocate(capacity: max(count, 1))
    }

    func free() { pointer.deallocate() }
}
