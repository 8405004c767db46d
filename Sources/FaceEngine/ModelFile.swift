import Common
import Foundation

/// A converted model file (`.fjm`): magic, version, a JSON header naming every tensor, then
/// 64-byte-aligned little-endian float32 data. Written by `scripts/models/fjm.py`; the layout is
/// documented in `models/README.md`.
public struct ModelFile: Sendable {
    /// The format version this loader reads.
    public static let formatVersion: UInt32 = 1
    static let magic = Array("FACEJOBM".utf8)

    /// One tensor's entry in the header.
    public struct TensorInfo: Codable, Sendable {
        public let name: String
        public let shape: [Int]
        public let dtype: String
        public let offset: Int
        public let count: Int
    }

    struct Header: Codable {
        let model: String
        let version: Int
        let tensors: [TensorInfo]
        let meta: [String: JSONScalar]?
    }

    /// Model name from the header, e.g. `dlib_resnet_v1`.
    public let model: String
    /// Model revision from the header.
    public let modelVersion: Int
    /// Path the file was read from (for messages).
    public let path: String
    /// SHA-256 of the whole file, lowercase hex.
    public let sha256: String
    /// Free-form scalar settings stored by the converter (e.g. pyramid scale for MTCNN).
    public let meta: [String: JSONScalar]
    /// Tensor entries in file order.
    public let tensors: [TensorInfo]
    private let data: Data
    private let dataStart: Int

    /// Reads and validates a model file. When `expectedSHA256` is given, a file whose hash differs
    /// is rejected (it was corrupted or converted from other weights).
    public init(path: String, expectedModel: String? = nil, expectedSHA256: String? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFileError.missing(path)
        }
        guard data.count >= 16, Array(data.prefix(8)) == ModelFile.magic else {
            throw ModelFileError.badMagic(path)
        }
        let version = data.loadLE32(at: 8)
        guard version == ModelFile.formatVersion else {
            throw ModelFileError.unsupportedVersion(path, Int(version))
        }
        let headerLength = Int(data.loadLE32(at: 12))
        guard 16 + headerLength <= data.count else { throw ModelFileError.truncated(path) }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data.subdata(in: 16..<(16 + headerLength)))
        } catch {
            throw ModelFileError.badHeader(path, "\(error)")
        }
        let prefix = 16 + headerLength
        let start = prefix + (64 - prefix % 64) % 64
        for t in header.tensors {
            guard t.dtype == "f32", t.shape.reduce(1, *) == t.count,
                  start + t.offset + t.count * 4 <= data.count else {
                throw ModelFileError.truncated(path)
            }
        }
        if let expected = expectedModel, header.model != expected {
            throw ModelFileError.wrongModel(path, expected: expected, found: header.model)
        }
        let hash = SHA256Hex.bytes(data)
        if let expected = expectedSHA256, expected != hash {
            throw ModelFileError.hashMismatch(path, expected: expected, found: hash)
        }
        self.model = header.model
        self.modelVersion = header.version
        self.path = path
        self.sha256 = hash
        self.meta = header.meta ?? [:]
        self.tensors = header.tensors
        self.data = data
        self.dataStart = start
    }

    /// The named tensor's values, checked against the shape the caller expects.
    public func tensor(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        guard let info = tensors.first(where: { $0.name == name }) else {
            throw ModelFileError.missingTensor(path, name)
        }
        if let shape, shape != info.shape {
            throw ModelFileError.wrongShape(path, name, expected: shape, found: info.shape)
        }
        let begin = dataStart + info.offset
        var values = [Float](repeating: 0, count: info.count)
        values.withUnsafeMutableBytes { out in
            data.withUnsafeBytes { raw in
                out.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[begin..<(begin + info.count * 4)]))
            }
        }
        #if _endian(big)
        values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        return values
    }

    /// The named tensor's shape, or nil when absent.
    public func shape(of name: String) -> [Int]? {
        tensors.first(where: { $0.name == name })?.shape
    }
}

/// A scalar value in a model header's `meta` object.
public enum JSONScalar: Codable, Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        }
    }

    /// The value as a Double, when it is a number.
    public var number: Double? { if case .number(let d) = self { return d } else { return nil } }
}

/// What is wrong with a model file, in words that say how to fix it.
public enum ModelFileError: UserFacingError, Equatable {
    case missing(String)
    case badMagic(String)
    case unsupportedVersion(String, Int)
    case truncated(String)
    case badHeader(String, String)
    case wrongModel(String, expected: String, found: String)
    case hashMismatch(String, expected: String, found: String)
    case missingTensor(String, String)
    case wrongShape(String, String, expected: [Int], found: [Int])

    public var description: String {
        let fix = "run scripts/setup (or scripts/models/fetch && scripts/models/convert) to recreate it"
        switch self {
        case .missing(let p): return "model file \(p) does not exist; \(fix)"
        case .badMagic(let p): return "\(p) is not a facejob model file (bad magic); \(fix)"
        case .unsupportedVersion(let p, let v):
            return "\(p) has model format version \(v), this facejob reads version \(ModelFile.formatVersion); \(fix)"
        case .truncated(let p): return "model file \(p) is truncated or its tensor table is inconsistent; \(fix)"
        case .badHeader(let p, let why): return "model file \(p) has an unreadable header (\(why)); \(fix)"
        case .wrongModel(let p, let e, let f): return "\(p) holds model \(f), expected \(e)"
        case .hashMismatch(let p, let e, let f):
            return "model file \(p) has SHA-256 \(f), expected \(e) (corrupted or converted from other weights); \(fix)"
        case .missingTensor(let p, let n): return "model file \(p) lacks tensor \(n); \(fix)"
        case .wrongShape(let p, let n, let e, let f): return "tensor \(n) in \(p) has shape \(f), expected \(e); \(fix)"
        }
    }

    public var exitStatus: ExitStatus { .unavailable }
}

extension Data {
    func loadLE32(at offset: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(self[self.startIndex + offset + i]) << (8 * i) }
        return v
    }
}
