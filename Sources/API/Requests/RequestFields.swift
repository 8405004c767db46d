import Foundation
import JSON

/// The fields of a request, from a JSON object or a multipart form, read with types: a wrong type
/// or unparsable value is a 400 naming the field. Booleans accept JSON true/false and the strings
/// "true"/"false"/"1"/"0" ("false" is false); unknown fields are refused so typos do not pass silently.
struct RequestFields {
    private var json: [String: JSONValue] = [:]
    private var form: [String: String] = [:]
    private(set) var files: [String: MultipartForm.File] = [:]

    /// Parses a body by its content type (JSON by default).
    init(body: Data, contentType: String?, allowed: Set<String>) throws {
        let type = (contentType ?? "application/json").lowercased()
        if type.hasPrefix("multipart/form-data") {
            let parsed = try MultipartForm(body: body, contentType: contentType ?? "")
            form = parsed.fields
            files = parsed.files
        } else if type.hasPrefix("application/json") || type.hasPrefix("text/plain") {
            guard !body.isEmpty else { throw APIError.badRequest("empty body: send a JSON object") }
            let root: JSONValue
            do {
                root = try JSONParser.parse([UInt8](body)).root
            } catch let error as JSONParser.SyntaxError {
                throw APIError.badRequest("malformed JSON at line \(error.line), column \(error.column): \(error.message)")
            } catch {
                throw APIError.badRequest("malformed JSON")
            }
            guard case .object(let members) = root else {
                throw APIError.badRequest("the body must be a JSON object, got \(root.typeName)")
            }
            for m in members { json[m.key] = m.value }
        } else {
            throw APIError(.unsupportedMediaType, "unsupported content type \(type): use application/json or multipart/form-data")
        }
        let unknown = Set(json.keys).union(form.keys).union(files.keys).subtracting(allowed)
        if let first = unknown.sorted().first {
            throw APIError.badRequest("unknown field \"\(first)\" (accepted: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// An empty set of fields (for requests without a body).
    init() {}

    func has(_ key: String) -> Bool { (json[key].map { $0 != .null } ?? false) || form[key] != nil || files[key] != nil }

    func string(_ key: String) throws -> String? {
        if let v = form[key] { return v }
        switch json[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .number(let n)?: return n
        case let other?: throw APIError.badRequest("\"\(key)\" must be a string, got \(other.typeName)")
        }
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try string(key)?.trimmingCharacters(in: .whitespacesAndNewlines), !s.isEmpty else {
            throw APIError.badRequest("\"\(key)\" is required")
        }
        return s
    }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        if case .bool(let b)? = json[key] { return b }
        guard let s = try string(key) else { return value }
        switch s.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.badRequest("\"\(key)\" must be true or false, got \"\(s)\"")
        }
    }

    func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let s = try string(key) else { return value }
        guard let n = Int(s), range.contains(n) else {
            throw APIError.badRequest("\"\(key)\" must be an integer in \(range.lowerBound)...\(range.upperBound), got \(s)")
        }
        return n
    }

    func double(_ key: String) throws -> Double? {
        guard let s = try string(key) else { return nil }
        guard let d = Double(s), d.isFinite else { throw APIError.badRequest("\"\(key)\" must be a number, got \(s)") }
        return d
    }

    /// A JSON array of numbers (a query embedding).
    func floats(_ key: String) throws -> [Float]? {
        if let s = form[key] {
            guard let data = s.data(using: .utf8), let root = try? JSONParser.parse([UInt8](data)).root else {
                throw APIError.badRequest("\"\(key)\" must be a JSON array of numbers")
            }
            return try Self.floats(root, key)
        }
        guard let v = json[key], v != .null else { return nil }
        return try Self.floats(v, key)
    }

    private static func floats(_ value: JSONValue, _ key: String) throws -> [Float] {
        guard case .array(let items) = value else { throw APIError.badRequest("\"\(key)\" must be an array of numbers") }
        return try items.map {
            guard case .number(let n) = $0, let f = Float(n), f.isFinite else {
                throw APIError.badRequest("\"\(key)\" must be an array of finite numbers")
            }
            return f
        }
    }

    /// String-valued metadata: a JSON object (values must be strings, numbers or booleans) or its JSON text.
    func metadata(_ key: String) throws -> [String: String] {
        var value = json[key]
        if let s = form[key] {
            guard let data = s.data(using: .utf8), let root = try? JSONParser.parse([UInt8](data)).root else {
                throw APIError.badRequest("\"\(key)\" must be a JSON object")
            }
            value = root
        }
        guard let value, value != .null else { return [:] }
        guard case .object(let members) = value else { throw APIError.badRequest("\"\(key)\" must be a JSON object") }
        var out: [String: String] = [:]
        for m in members {
            switch m.value {
            case .string(let s): out[m.key] = s
            case .number(let n): out[m.key] = n
            case .bool(let b): out[m.key] = b ? "true" : "false"
            default: throw APIError.badRequest("\"\(key).\(m.key)\" must be a string, number or boolean")
            }
        }
        return out
    }
}
