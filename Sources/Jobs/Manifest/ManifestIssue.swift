/// One problem found in a manifest: where (JSON pointer), what, and how to fix it.
public struct ManifestIssue: Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is, e.g. `/inputs/2/glob`; `""` for the whole document.
    public var pointer: String
    /// What is wrong.
    public var message: String
    /// How to fix it, if there is something specific to say.
    public var hint: String?

    /// Creates an issue.
    public init(pointer: String, message: String, hint: String? = nil) {
        self.pointer = pointer
        self.message = message
        self.hint = hint
    }

    /// `/inputs/2/glob: matches no file (hint: …)`.
    public var description: String {
        (pointer.isEmpty ? "(document)" : pointer) + ": " + message + (hint.map { " (hint: \($0))" } ?? "")
    }
}
