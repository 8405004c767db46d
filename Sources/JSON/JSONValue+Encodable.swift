/// A parsed document written back out through an encoder: objects by key (an encoder set to sort
/// keys sorts them), integers as integers, other numbers as doubles.
extension JSONValue: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for member in members { try container.encode(member.value, forKey: Key(stringValue: member.key)) }
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .string(let s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case .number(let literal):
            var container = encoder.singleValueContainer()
            if let i = Int64(literal) { try container.encode(i) } else { try container.encode(Double(literal) ?? .nan) }
        case .bool(let b):
            var container = encoder.singleValueContainer()
            try container.encode(b)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}
