import Foundation

/// A parsed `multipart/form-data` body: text fields and uploaded files by field name.
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
        guard let boundaryParameter = Self.parameter("boundary", in: contentType), !boundaryParameter.isEmpty else {
            throw APIError.badRequest("multipart/form-data without a boundary")
        }
        let delimiter = Data(("--" + boundaryParameter).utf8)
        let crlf = Data("\r\n".utf8), headerEnd = Data("\r\n\r\n".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else {
            throw APIError.badRequest("malformed multipart body: boundary not found")
        }
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: crlf) else { throw APIError.badRequest("malformed multipart body") }
            let partStart = cursor + 2
            guard let headersEnd = body.range(of: headerEnd, in: partStart..<body.endIndex),
                  let next = body.range(of: crlf + delimiter, in: headersEnd.upperBound..<body.endIndex) else {
                throw APIError.badRequest("malformed multipart body: unterminated part")
            }
            let headers = String(decoding: body[partStart..<headersEnd.lowerBound], as: UTF8.self)
            let content = body[headersEnd.upperBound..<next.lowerBound]
            var name: String?, filename: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line)
                filename = Self.parameter("filename", in: line)
            }
            guard let name else { throw APIError.badRequest("multipart part without a name") }
            if filename != nil {
                files[name] = File(filename: filename, data: Data(content))
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
            cursor = next.upperBound
        }
    }

    /// `key=value` or `key="value"` from a header line.
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
