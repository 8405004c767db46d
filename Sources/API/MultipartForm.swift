import Foundation
import MultipartKit
import NIOCore

/// A parsed `multipart/form-data` body: text fields and uploaded files by field name (of two parts
/// with one name, the last wins). multipart-kit's `MultipartParser` reads the delimiters, part
/// headers and part bodies; around it, this type takes the boundary from the Content-Type, requires
/// the closing delimiter (the parser reports no error for a body that just stops) and a name on
/// every part. Every problem is a 400. The body was bounded before it got here (`--max-body-mb`,
/// 413), which also bounds the number and size of its parts.
struct MultipartForm {
    /// One uploaded file.
    struct File {
        let filename: String?
        let data: Data
    }

    var fields: [String: String] = [:]
    var files: [String: File] = [:]

    /// Parses `body` split by the boundary named in `contentType`; malformed bodies are 400.
    init(body: Data, contentType: String) throws {
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty else {
            throw APIError.badRequest("multipart/form-data without a boundary")
        }
        let delimiter = Data(("--" + boundary).utf8)
        guard body.range(of: delimiter) != nil else {
            throw APIError.badRequest("malformed multipart body: boundary not found")
        }
        // A form without parts is its closing delimiter alone; the parser expects a part after the first one.
        if body.starts(with: delimiter + Data("--".utf8)) { return }

        var headers: [(name: String, value: String)] = []
        var content = ByteBuffer()
        var nameless = false
        var parsed = MultipartForm()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { headers.append(($0, $1)) }
        parser.onBody = { content.writeBuffer(&$0) }
        parser.onPartComplete = {
            let disposition = headers.last { $0.name.lowercased() == "content-disposition" }?.value ?? ""
            if let name = Self.parameter("name", in: disposition) {
                let filename = Self.parameter("filename", in: disposition)
                if filename != nil {
                    parsed.files[name] = File(filename: filename, data: Data(content.readableBytesView))
                } else {
                    parsed.fields[name] = String(decoding: content.readableBytesView, as: UTF8.self)
                }
            } else {
                nameless = true
            }
            headers.removeAll()
            content.clear()
        }
        do {
            try parser.execute(ByteBuffer(bytes: body))
        } catch {
            throw APIError.badRequest("malformed multipart body")
        }
        if nameless { throw APIError.badRequest("multipart part without a name") }
        guard body.range(of: Data("\r\n".utf8) + delimiter + Data("--".utf8)) != nil else {
            throw APIError.badRequest("malformed multipart body: unterminated part")
        }
        self = parsed
    }

    private init() {}

    /// `key=value` or `key="value"` from a header line or value (the key in any case).
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: .whitespaces)
            guard let eq = pair.firstIndex(of: "="), pair[..<eq].lowercased() == key else { continue }
            var value = String(pair[pair.index(after: eq)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
