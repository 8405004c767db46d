import Foundation

/// A Swift type that can be read from a result value. Conformances accept the column types that
/// hold their values exactly (an `Int64` reads `smallint`, `integer`, `bigint`; a `Float` only
/// `real`) and throw `PostgresDecodingError` for anything else, including NULL. Read nullable
/// columns as Optionals.
public protocol PostgresDecodable {
    /// Reads the value of `cell`.
    static func decode(_ cell: PostgresCell) throws -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// NULL reads as nil.
    public static func decode(_ cell: PostgresCell) throws -> Wrapped? {
        cell.isNull ? nil : try Wrapped.decode(cell)
    }
}

extension PostgresCell {
    /// Throws for NULL, naming the type the caller wanted.
    func requireValue(_ target: String) throws {
        if isNull { throw mismatch("is NULL; read it as \(target)? (an Optional)") }
    }

    /// A binary value of a fixed width, big-endian.
    func fixedWidth(_ width: Int) throws -> UInt64 {
        try withBytes { raw in
            guard raw.count == width else { throw mismatch("expected \(width) bytes, got \(raw.count)") }
            return raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }
}

extension String: PostgresDecodable {
    /// Text-like columns in either format; any column in text format (its server rendering).
    public static func decode(_ cell: PostgresCell) throws -> String {
        try cell.requireValue("String")
        if cell.format == .text || PostgresOID.textLike.contains(cell.type) { return cell.text }
        if cell.type == PostgresOID.jsonb {
            return cell.withBytes { String(decoding: $0.dropFirst(), as: UTF8.self) }  // skip version byte
        }
        throw cell.typeMismatch("String; select it with ::text or use resultFormat .text")
    }
}

extension Int64: PostgresDecodable {
    /// `smallint`, `integer`, `bigint`, `oid`.
    public static func decode(_ cell: PostgresCell) throws -> Int64 {
        try cell.requireValue("Int64")
        switch (cell.type, cell.format) {
        case (PostgresOID.int2, .binary): return Int64(Int16(truncatingIfNeeded: try cell.fixedWidth(2)))
        case (PostgresOID.int4, .binary): return Int64(Int32(truncatingIfNeeded: try cell.fixedWidth(4)))
        case (PostgresOID.oid, .binary): return Int64(UInt32(truncatingIfNeeded: try cell.fixedWidth(4)))
        case (PostgresOID.int8, .binary): return Int64(bitPattern: try cell.fixedWidth(8))
        case (PostgresOID.int2, .text), (PostgresOID.int4, .text), (PostgresOID.int8, .text), (PostgresOID.oid, .text):
            guard let v = Int64(cell.text) else { throw cell.mismatch("\"\(cell.text)\" is not an integer") }
            return v
        default: throw cell.typeMismatch("an integer")
        }
    }
}

extension Int: PostgresDecodable {
    /// As `Int64`.
    public static func decode(_ cell: PostgresCell) throws -> Int { Int(try Int64.decode(cell)) }
}

extension Int32: PostgresDecodable {
    /// `smallint`, `integer` (a `bigint` must be read as `Int64`).
    public static func decode(_ cell: PostgresCell) throws -> Int32 {
        try cell.requireValue("Int32")
        guard cell.type == PostgresOID.int2 || cell.type == PostgresOID.int4 else {
            throw cell.typeMismatch("Int32; read a bigint as Int64")
        }
        return Int32(try Int64.decode(cell))
    }
}

extension Double: PostgresDecodable {
    /// `double precision`, `real`, `numeric` (text format), and integers.
    public static func decode(_ cell: PostgresCell) throws -> Double {
        try cell.requireValue("Double")
        switch (cell.type, cell.format) {
        case (PostgresOID.float8, .binary): return Double(bitPattern: try cell.fixedWidth(8))
        case (PostgresOID.float4, .binary): return Double(Float(bitPattern: UInt32(try cell.fixedWidth(4))))
        case (PostgresOID.float8, .text), (PostgresOID.float4, .text), (PostgresOID.numeric, .text):
            return try parseFloatingText(cell)
        case (PostgresOID.int2, _), (PostgresOID.int4, _), (PostgresOID.int8, _):
            return Double(try Int64.decode(cell))
        default: throw cell.typeMismatch("Double")
        }
    }

    static func parseFloatingText(_ cell: PostgresCell) throws -> Double {
        let text = cell.text
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let v = Double(text) else { throw cell.mismatch("\"\(text)\" is not a number") }
            return v
        }
    }
}

extension Float: PostgresDecodable {
    /// `real` only (a `double precision` would lose precision silently).
    public static func decode(_ cell: PostgresCell) throws -> Float {
        try cell.requireValue("Float")
        guard cell.type == PostgresOID.float4 else { throw cell.typeMismatch("Float; read it as Double") }
        if cell.format == .binary { return Float(bitPattern: UInt32(try cell.fixedWidth(4))) }
        return Float(try Double.parseFloatingText(cell))
    }
}

extension Bool: PostgresDecodable {
    /// `boolean`.
    public static func decode(_ cell: PostgresCell) throws -> Bool {
        try cell.requireValue("Bool")
        guard cell.type == PostgresOID.bool else { throw cell.typeMismatch("Bool") }
        if cell.format == .binary { return try cell.fixedWidth(1) != 0 }
        switch cell.text {
        case "t": return true
        case "f": return false
        default: throw cell.mismatch("\"\(cell.text)\" is not a boolean")
        }
    }
}

extension Data: PostgresDecodable {
    /// `bytea` (binary, or the text format's hex form).
    public static func decode(_ cell: PostgresCell) throws -> Data {
        try cell.requireValue("Data")
        guard cell.type == PostgresOID.bytea else { throw cell.typeMismatch("Data") }
        if cell.format == .binary { return cell.withBytes { Data($0) } }
        return try cell.withBytes { raw in
            guard raw.count >= 2, raw.count % 2 == 0, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x") else {
                throw cell.mismatch("bytea text is not in hex form (bytea_output = hex)")
            }
            var data = Data(capacity: raw.count / 2 - 1)
            var i = 2
            while i < raw.count {
                guard let hi = hexDigit(raw[i]), let lo = hexDigit(raw[i + 1]) else {
                    throw cell.mismatch("bad hex digit in bytea")
                }
                data.append(hi << 4 | lo)
                i += 2
            }
            return data
        }
    }

    private static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension UUID: PostgresDecodable {
    /// `uuid`, or text holding one.
    public static func decode(_ cell: PostgresCell) throws -> UUID {
        try cell.requireValue("UUID")
        if cell.type == PostgresOID.uuid, cell.format == .binary {
            return try cell.withBytes { raw in
                guard raw.count == 16 else { throw cell.mismatch("uuid is \(raw.count) bytes, expected 16") }
                var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                withUnsafeMutableBytes(of: &u) { $0.copyMemory(from: raw) }
                return UUID(uuid: u)
            }
        }
        guard cell.type == PostgresOID.uuid || PostgresOID.textLike.contains(cell.type) else {
            throw cell.typeMismatch("UUID")
        }
        guard let u = UUID(uuidString: cell.text) else { throw cell.mismatch("\"\(cell.text)\" is not a UUID") }
        return u
    }
}

extension Date: PostgresDecodable {
    /// `timestamptz` (and `timestamp`, taken as UTC); the text form must be ISO (`DateStyle` ISO, the default).
    public static func decode(_ cell: PostgresCell) throws -> Date {
        try cell.requireValue("Date")
        guard cell.type == PostgresOID.timestamptz || cell.type == PostgresOID.timestamp else {
            throw cell.typeMismatch("Date")
        }
        if cell.format == .binary {
            let micros = Int64(bitPattern: try cell.fixedWidth(8))
            guard micros != Int64.max, micros != Int64.min else { throw cell.mismatch("timestamp is infinite") }
            return Date(timeIntervalSince1970: PostgresValue.postgresEpoch + Double(micros) / 1_000_000)
        }
        guard let date = PostgresTimestampText.parse(cell.text) else {
            throw cell.mismatch("\"\(cell.text)\" is not an ISO timestamp (is DateStyle ISO?)")
        }
        return date
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// A one-dimensional array without NULLs; `[Float]` also reads a `bytea` of little-endian float32.
    public static func decode(_ cell: PostgresCell) throws -> [Element] {
        try cell.requireValue("an array")
        if Element.self == Float.self, cell.type == PostgresOID.bytea {
            let data = try Data.decode(cell)
            guard data.count % 4 == 0 else { throw cell.mismatch("bytea of \(data.count) bytes is not float32s") }
            let floats = data.withUnsafeBytes { raw in
                (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            return floats as? [Element] ?? []
        }
        guard Element.arrayTypes.contains(cell.type) else { throw cell.typeMismatch("[\(Element.self)]") }
        if cell.format == .text {
            let items = try PostgresArrayText.elements(cell.text, cell: cell)
            return try items.map { item in
                guard let item else { throw cell.mismatch("array holds a NULL element") }
                guard let v = Element.parse(text: item) else { throw cell.mismatch("bad array element \"\(item)\"") }
                return v
            }
        }
        return try cell.withBytes { raw in
            var reader = ByteReader(raw)
            do {
                let dims = try reader.int32()
                _ = try reader.int32()  // has-nulls flag; NULLs are caught per element
                let elementType = try reader.uint32()
                if dims == 0 { return [] }
                guard dims == 1 else { throw cell.mismatch("array has \(dims) dimensions, expected 1") }
                let count = Int(try reader.int32())
                _ = try reader.int32()  // lower bound
                var out: [Element] = []
                out.reserveCapacity(count)
                for _ in 0..<count {
                    let length = Int(try reader.int32())
                    guard length >= 0 else { throw cell.mismatch("array holds a NULL element") }
                    guard let v = Element.parse(binary: try reader.slice(length), type: elementType) else {
                        throw cell.mismatch("bad \(PostgresOID.describe(elementType)) element in array")
                    }
                    out.append(v)
                }
                return out
            } catch is ByteReaderError {
                throw cell.mismatch("array value is truncated")
            }
        }
    }
}

/// An element type readable from one-dimensional PostgreSQL arrays.
public protocol PostgresArrayElement {
    /// Array type OIDs this element reads from.
    static var arrayTypes: Set<UInt32> { get }
    /// Parses one element of the binary form.
    static func parse(binary: UnsafeRawBufferPointer, type: UInt32) -> Self?
    /// Parses one element of the text form.
    static func parse(text: String) -> Self?
}

private func readBigEndian(_ raw: UnsafeRawBufferPointer) -> UInt64 { raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }

extension Float: PostgresArrayElement {
    /// `real[]`.
    public static var arrayTypes: Set<UInt32> { [PostgresOID.float4Array] }
    /// Four bytes, big-endian.
    public static func parse(binary: UnsafeRawBufferPointer, type: UInt32) -> Float? {
        binary.count == 4 ? Float(bitPattern: UInt32(readBigEndian(binary))) : nil
    }
    /// Decimal text, `NaN`, `Infinity`.
    public static func parse(text: String) -> Float? { Double.parse(text: text).map(Float.init) }
}

extension Double: PostgresArrayElement {
    /// `double precision[]`, `real[]`.
    public static var arrayTypes: Set<UInt32> { [PostgresOID.float8Array, PostgresOID.float4Array] }
    /// Eight (or four, from `real[]`) bytes, big-endian.
    public static func parse(binary: UnsafeRawBufferPointer, type: UInt32) -> Double? {
        switch binary.count {
        case 8: return Double(bitPattern: readBigEndian(binary))
        case 4: return Double(Float(bitPattern: UInt32(readBigEndian(binary))))
        default: return nil
        }
    }
    /// Decimal text, `NaN`, `Infinity`.
    public static func parse(text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }
}

extension Int64: PostgresArrayElement {
    /// `bigint[]`, `integer[]`.
    public static var arrayTypes: Set<UInt32> { [PostgresOID.int8Array, PostgresOID.int4Array] }
    /// Eight or four bytes, big-endian.
    public static func parse(binary: UnsafeRawBufferPointer, type: UInt32) -> Int64? {
        switch binary.count {
        case 8: return Int64(bitPattern: readBigEndian(binary))
        case 4: return Int64(Int32(truncatingIfNeeded: readBigEndian(binary)))
        default: return nil
        }
    }
    /// Decimal text.
    public static func parse(text: String) -> Int64? { Int64(text) }
}

extension Int32: PostgresArrayElement {
    /// `integer[]`.
    public static var arrayTypes: Set<UInt32> { [PostgresOID.int4Array] }
    /// Four bytes, big-endian.
    public static func parse(binary: UnsafeRawBufferPointer, type: UInt32) -> Int32? {
        binary.count == 4 ? Int32(truncatingIfNeeded: readBigEndian(binary)) : nil
    }
    /// Decimal text.
    public static func parse(text: String) -> Int32? { Int32(text) }
}

extension String: PostgresArrayElement {
    /// `text[]`, `varchar[]`.
    public static var arrayTypes: Set<UInt32> { [PostgresOID.textArray, 1015] }
    /// UTF-8 bytes.
    public static func parse(binary: UnsafeRawBufferPointer, type: UInt32) -> String? {
        String(decoding: binary, as: UTF8.self)
    }
    /// The element as is (quotes and escapes already removed).
    public static func parse(text: String) -> String? { text }
}
