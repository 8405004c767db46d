import Foundation

/// Network-byte-order writer for PostgreSQL's binary formats (parameters, arrays, binary COPY).
struct ByteBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(int16 value: Int16) {
        let v = UInt16(bitPattern: value)
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func append(int32 value: Int32) { append(uint32: UInt32(bitPattern: value)) }

    mutating func append(uint32 v: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 24))
        bytes.append(UInt8(truncatingIfNeeded: v >> 16))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func append(int64 value: Int64) {
        let v = UInt64(bitPattern: value)
        append(uint32: UInt32(truncatingIfNeeded: v >> 32))
        append(uint32: UInt32(truncatingIfNeeded: v))
    }

    mutating func append<S: Sequence>(contentsOf s: S) where S.Element == UInt8 { bytes.append(contentsOf: s) }
}

/// Big-endian reads from a cell of a binary result, bounds-checked so a malformed value throws
/// instead of crashing.
struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    var remaining: Int { raw.count - offset }

    mutating func uint32() throws -> UInt32 {
        guard remaining >= 4 else { throw ByteReaderError.truncated }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(raw[offset + i]) }
        offset += 4
        return v
    }

    mutating func int32() throws -> Int32 { Int32(bitPattern: try uint32()) }

    mutating func int64() throws -> Int64 {
        let hi = UInt64(try uint32()), lo = UInt64(try uint32())
        return Int64(bitPattern: hi << 32 | lo)
    }

    mutating func slice(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw ByteReaderError.truncated }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)])
    }
}

/// A binary value shorter than its type requires.
enum ByteReaderError: Error { case truncated }
