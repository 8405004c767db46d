import Foundation
import JSON

/// Reads typed fields out of a `JSONValue` tree while collecting every problem with its pointer,
/// so one pass reports all mistakes instead of stopping at the first.
struct FieldReader {
    /// Problems found so far, in the order they were found.
    var issues: [ManifestIssue] = []

    mutating func add(_ pointer: JSONPointer, _ message: String, hint: String? = nil) {
        issues.append(ManifestIssue(pointer: pointer.description, message: message, hint: hint))
    }

    /// The members of an object, after reporting unknown keys with a suggestion.
    mutating func object(_ value: JSONValue, at p: JSONPointer, allowed: [String]) -> [String: JSONValue]? {
        guard case .object(let members) = value else {
            add(p, "expected an object, found \(value.typeName)")
            return nil
        }
        var out: [String: JSONValue] = [:]
        for m in members where out[m.key] == nil {
            out[m.key] = m.value
            if !allowed.contains(m.key) {
                let hint = KeySuggestion.closest(to: m.key, among: allowed).map { "did you mean `\($0)`?" }
                    ?? "allowed keys: " + allowed.filter { !$0.hasPrefix("$") }.joined(separator: ", ")
                add(p.appending(m.key), "unknown key `\(m.key)`", hint: hint)
            }
        }
        return out
    }

    /// The value of `key`, or nil (with an issue when required). JSON `null` counts as absent.
    mutating func value(_ obj: [String: JSONValue], _ key: String, at p: JSONPointer, required: Bool) -> JSONValue? {
        guard let v = obj[key], v != .null else {
            if required { add(p.appending(key), "missing required key `\(key)`") }
            return nil
        }
        return v
    }

    mutating func string(_ obj: [String: JSONValue], _ key: String, at p: JSONPointer, required: Bool = false,
                         nonEmpty: Bool = true) -> String? {
        guard let v = value(obj, key, at: p, required: required) else { return nil }
        guard case .string(let s) = v else {
            add(p.appending(key), "expected a string, found \(v.typeName)",
                hint: v.typeName == "number" ? "put the value in quotes" : nil)
            return nil
        }
        if nonEmpty, s.trimmingCharacters(in: .whitespaces).isEmpty {
            add(p.appending(key), "must not be empty")
            return nil
        }
        return s
    }

    mutating func bool(_ obj: [String: JSONValue], _ key: String, at p: JSONPointer) -> Bool? {
        guard let v = value(obj, key, at: p, required: false) else { return nil }
        guard case .bool(let b) = v else {
            let hint: String?
            if case .string(let s) = v, s == "true" || s == "false" { hint = "write \(s) without quotes" } else { hint = "use true or false" }
            add(p.appending(key), "expected a boolean, found \(v.typeName)", hint: hint)
            return nil
        }
        return b
    }

    /// An integer in `range`.
    mutating func int(_ obj: [String: JSONValue], _ key: String, at p: JSONPointer, range: ClosedRange<Int>,
                      required: Bool = false) -> Int? {
        guard let v = value(obj, key, at: p, required: required) else { return nil }
        return int(v, at: p.appending(key), range: range)
    }

    mutating func int(_ v: JSONValue, at p: JSONPointer, range: ClosedRange<Int>) -> Int? {
        guard case .number(let literal) = v else {
            add(p, "expected an integer, found \(v.typeName)", hint: quotedNumberHint(v))
            return nil
        }
        guard let i = Int(literal) else {
            add(p, "expected an integer, found \(literal)", hint: "use a whole number between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        guard range.contains(i) else {
            add(p, "\(i) is out of range", hint: "use a whole number between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return i
    }

    /// A finite number with bounds; `lowerOpen` excludes the lower bound itself.
    mutating func double(_ obj: [String: JSONValue], _ key: String, at p: JSONPointer, min lower: Double,
                         max upper: Double?, lowerOpen: Bool = false, required: Bool = false) -> Double? {
        guard let v = value(obj, key, at: p, required: required) else { return nil }
        return double(v, at: p.appending(key), min: lower, max: upper, lowerOpen: lowerOpen)
    }

    mutating func double(_ v: JSONValue, at p: JSONPointer, min lower: Double, max upper: Double?,
                         lowerOpen: Bool = false) -> Double? {
        guard case .number(let literal) = v else {
            add(p, "expected a number, found \(v.typeName)", hint: quotedNumberHint(v))
            return nil
        }
        guard let d = Double(literal), d.isFinite else {
            add(p, "number \(literal) is too large")
            return nil
        }
        let tooLow = lowerOpen ? d <= lower : d < lower
        let tooHigh = upper.map { d > $0 } ?? false
        if tooLow || tooHigh {
            let low = lowerOpen ? "greater than \(Self.text(lower))" : "at least \(Self.text(lower))"
            let range = upper.map { "\(low) and at most \(Self.text($0))" } ?? low
            add(p, "\(literal) is out of range", hint: "use a number \(range)")
            return nil
        }
        return d
    }

    /// One of `choices`, with a suggestion for near misses.
    mutating func choice(_ obj: [String: JSONValue], _ key: String, at p: JSONPointer, choices: [String]) -> String? {
        guard let s = string(obj, key, at: p) else { return nil }
        guard choices.contains(s) else {
            let hint = KeySuggestion.closest(to: s, among: choices).map { "did you mean `\($0)`?" }
                ?? "use one of " + choices.map { "`\($0)`" }.joined(separator: ", ")
            add(p.appending(key), "`\(s)` is not one of \(choices.joined(separator: ", "))", hint: hint)
            return nil
        }
        return s
    }

    private func quotedNumberHint(_ v: JSONValue) -> String? {
        if case .string(let s) = v, Double(s) != nil { return "write \(s) without quotes" }
        return nil
    }

    static func text(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }
}

extension FieldReader {
    /// Parses manifest or sweep bytes and starts a reader with the duplicate keys already reported;
    /// a syntax error becomes the one issue, at the document root.
    static func start(_ data: Data) -> Result<(JSONParser.Document, FieldReader), ManifestValidationError> {
        let document: JSONParser.Document
        do {
            document = try JSONParser.parse(Array(data))
        } catch let e as JSONParser.SyntaxError {
            return .failure(ManifestValidationError(file: nil, issues: [
                ManifestIssue(pointer: "", message: "not valid JSON at line \(e.line), column \(e.column): \(e.message)"),
            ]))
        } catch {
            return .failure(ManifestValidationError(file: nil, issues: [ManifestIssue(pointer: "", message: "not valid JSON")]))
        }
        var reader = FieldReader()
        for d in document.duplicateKeys { reader.add(d, "key `\(d.tokens.last ?? "")` appears more than once") }
        return .success((document, reader))
    }
}
