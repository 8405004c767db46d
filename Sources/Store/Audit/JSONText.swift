import Foundation
import Postgres

/// JSON text for `jsonb` parameters, keys sorted so equal content gives equal text.
enum JSONText {
    /// Encodes a JSON-compatible dictionary; values JSONSerialization cannot encode become strings.
    static func encode(_ object: [String: Any]) -> String {
        let safe = object.mapValues(sanitise)
        guard let data = try? JSONSerialization.data(withJSONObject: safe, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A string, or JSON null.
    static func optional(_ value: String?) -> Any { value.map { $0 as Any } ?? NSNull() }

    private static func sanitise(_ value: Any) -> Any {
        switch value {
        case is NSNull: return NSNull()
        case let v as String: return v
        case let v as Int: return v
        case let v as Int64: return v
        case let v as Int32: return Int(v)
        case let v as Double: return v.isFinite ? v : String(v)
        case let v as Float: return v.isFinite ? Double(v) : String(v)
        case let v as Bool: return v
        case let v as [Any]: return v.map(sanitise)
        case let v as [String: Any]: return v.mapValues(sanitise)
        default: return String(describing: value)
        }
    }
}
