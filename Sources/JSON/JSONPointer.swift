/// An RFC 6901 JSON pointer such as `/inputs/2/glob`, naming where in a document an error is.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// Reference tokens, unescaped.
    public var tokens: [String]

    /// The document root (`""`).
    public static let root = JSONPointer(tokens: [])

    /// Creates a pointer from tokens.
    public init(tokens: [String]) { self.tokens = tokens }

    /// The pointer to a member of the object this pointer names.
    public func appending(_ key: String) -> JSONPointer { JSONPointer(tokens: tokens + [key]) }
    /// The pointer to an element of the array this pointer names.
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens: tokens + [String(index)]) }

    /// `/a/b~1c/0`: `~` and `/` inside tokens escaped as `~0` and `~1`.
    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool { lhs.description < rhs.description }
}
