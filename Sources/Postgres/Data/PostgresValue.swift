import Foundation

/// A typed statement parameter or binary-COPY field. Integers, floats, bytea and arrays travel in
/// binary (exact, no text round trip); text, uuid and json travel as text with their type attached.
public enum PostgresValue: Sendable, Equatable {
    /// SQL NULL.
    case null
    /// Text whose type the server infers from the statement (so it also fits `varchar`, enums, …).
    case text(String)
    /// Raw bytes for a `bytea` column.
    case bytea(Data)
    /// `integer`.
    case int4(Int32)
    /// `bigint`.
    case int8(Int64)
    /// `real`.
    case float4(Float)
    /// `double precision`.
    case float8(Double)
    /// `boolean`.
    case bool(Bool)
    /// `uuid`, sent as its canonical text.
    case uuid(UUID)
    /// `json`, the document's text.
    case json(String)
    /// `jsonb`, the document's text.
    case jsonb(String)
    /// `timestamptz`, microsecond precision.
    case timestamptz(Date)
    /// `real[]` (one dimension), e.g. an embedding.
    case float4Array([Float])
    /// `double precision[]` (one dimension).
    case float8Array([Double])
    /// `integer[]` (one dimension).
    case int4Array([Int32])
    /// `bigint[]` (one dimension), e.g. ids for `= ANY($1)`.
    case int8Array([Int64])
    /// `text[]` (one dimension).
    case textArray([String])

    /// Seconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 UTC).
    static let postgresEpoch: TimeInterval = 946_684_800

    /// The type OID sent with the parameter.
    var oid: UInt32 {
        switch self {
        case .null, .text: return PostgresOID.unknown
        case .bytea: return PostgresOID.bytea
        case .int4: return PostgresOID.int4
        case .int8: return PostgresOID.int8
        case .float4: return PostgresOID.float4
        case .float8: return PostgresOID.float8
        case .bool: return PostgresOID.bool
        case .uuid: return PostgresOID.uuid
        case .json: return PostgresOID.json
        case .jsonb: return PostgresOID.jsonb
        case .timestamptz: return PostgresOID.timestamptz
        case .float4Array: return PostgresOID.float4Array
        case .float8Array: return PostgresOID.float8Array
        case .int4Array: return PostgresOID.int4Array
        case .int8Array: return PostgresOID.int8Array
        case .textArray: return PostgresOID.textArray
        }
    }

    /// True when the parameter is sent in text format (libpq format code 0).
    var sentAsText: Bool {
        switch self {
        case .null, .text, .uuid, .json, .jsonb: return true
        default: return false
        }
    }

    /// The bytes sent as a parameter (text or binary per `sentAsText`); nil for NULL.
    func parameterBytes() -> [UInt8]? {
        switch self {
        case .null: return nil
        case .text(let s), .json(let s), .jsonb(let s): return Array(s.utf8)
        case .uuid(let u): return Array(u.uuidString.lowercased().utf8)
        default: return binaryBytes()
        }
    }

    /// The value in PostgreSQL's binary wire format (parameters and binary COPY); nil for NULL.
    func binaryBytes() -> [UInt8]? {
        var b = ByteBuffer()
        switch self {
        case .null: return nil
        case .text(let s), .json(let s): return Array(s.utf8)
        case .jsonb(let s): return [1] + Array(s.utf8)  // jsonb's binary form is a version byte, then text
        case .bytea(let d): return [UInt8](d)
        case .int4(let v): b.append(int32: v)
        case .int8(let v): b.append(int64: v)
        case .float4(let v): b.append(uint32: v.bitPattern)
        case .float8(let v): b.append(int64: Int64(bitPattern: v.bitPattern))
        case .bool(let v): return [v ? 1 : 0]
        case .uuid(let u): return withUnsafeBytes(of: u.uuid) { Array($0) }
        case .timestamptz(let d): b.append(int64: PostgresValue.microseconds(since2000: d))
        case .float4Array(let a):
            PostgresValue.arrayHeader(&b, element: PostgresOID.float4, count: a.count)
            for v in a { b.append(int32: 4); b.append(uint32: v.bitPattern) }
        case .float8Array(let a):
            PostgresValue.arrayHeader(&b, element: PostgresOID.float8, count: a.count)
            for v in a { b.append(int32: 8); b.append(int64: Int64(bitPattern: v.bitPattern)) }
        case .int4Array(let a):
            PostgresValue.arrayHeader(&b, element: PostgresOID.int4, count: a.count)
            for v in a { b.append(int32: 4); b.append(int32: v) }
        case .int8Array(let a):
            PostgresValue.arrayHeader(&b, element: PostgresOID.int8, count: a.count)
            for v in a { b.append(int32: 8); b.append(int64: v) }
        case .textArray(let a):
            PostgresValue.arrayHeader(&b, element: PostgresOID.text, count: a.count)
            for v in a {
                let utf8 = Array(v.utf8)
                b.append(int32: Int32(utf8.count))
                b.append(contentsOf: utf8)
            }
        }
        return b.bytes
    }

    /// One-dimensional array header: ndim, has-nulls flag, element type, then size and lower bound.
    private static func arrayHeader(_ b: inout ByteBuffer, element: UInt32, count: Int) {
        b.append(int32: count == 0 ? 0 : 1)
        b.append(int32: 0)
        b.append(uint32: element)
        if count > 0 {
            b.append(int32: Int32(count))
            b.append(int32: 1)
        }
    }

    static func microseconds(since2000 date: Date) -> Int64 {
        Int64(((date.timeIntervalSince1970 - postgresEpoch) * 1_000_000).rounded())
    }
}

extension PostgresValue {
    /// Text, or NULL when nil.
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    /// `bigint`, or NULL when nil.
    public init(_ value: Int?) { self = value.map { .int8(Int64($0)) } ?? .null }
    /// `bigint`, or NULL when nil.
    public init(_ value: Int64?) { self = value.map { .int8($0) } ?? .null }
    /// `integer`, or NULL when nil.
    public init(_ value: Int32?) { self = value.map { .int4($0) } ?? .null }
    /// `double precision`, or NULL when nil.
    public init(_ value: Double?) { self = value.map { .float8($0) } ?? .null }
    /// `real`, or NULL when nil.
    public init(_ value: Float?) { self = value.map { .float4($0) } ?? .null }
    /// `boolean`, or NULL when nil.
    public init(_ value: Bool?) { self = value.map { .bool($0) } ?? .null }
    /// `bytea`, or NULL when nil.
    public init(_ value: Data?) { self = value.map { .bytea($0) } ?? .null }
    /// `uuid`, or NULL when nil.
    public init(_ value: UUID?) { self = value.map { .uuid($0) } ?? .null }
    /// `timestamptz`, or NULL when nil.
    public init(_ value: Date?) { self = value.map { .timestamptz($0) } ?? .null }
    /// `real[]`, or NULL when nil.
    public init(_ value: [Float]?) { self = value.map { .float4Array($0) } ?? .null }

    /// Floats as little-endian float32 bytes in a `bytea` (the compact embedding layout; read back
    /// with `[Float]` from a bytea column).
    public static func float4Bytes(_ values: [Float]) -> PostgresValue {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return .bytea(data)
    }
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    /// A string literal is `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer literal is `.int8` (`bigint`).
    public init(integerLiteral value: Int64) { self = .int8(value) }
    /// A float literal is `.float8` (`double precision`).
    public init(floatLiteral value: Double) { self = .float8(value) }
    /// A boolean literal is `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `nil` is SQL NULL.
    public init(nilLiteral: ()) { self = .null }
}
