import Common
import Foundation
import Media

/// An image a request sent: its bytes and how it was named (file name, "data URI", or the
/// resolved server path recorded for the audit trail).
struct ImageInput {
    let data: Data
    let label: String

    /// Reads `key` as a multipart file, a `data:image/...;base64,...` string, or a server path
    /// under the allowed roots; anything else is a 4xx.
    static func read(_ fields: RequestFields, _ key: String, roots: AllowedRoots) throws -> ImageInput {
        if let file = fields.files[key] {
            guard !file.data.isEmpty else { throw APIError.badRequest("\"\(key)\" is an empty file") }
            return ImageInput(data: file.data, label: file.filename.map { "upload:" + $0 } ?? "upload")
        }
        guard let value = try fields.string(key), !value.isEmpty else {
            throw APIError.badRequest("\"\(key)\" is required: a multipart file, a data:image/...;base64 URI or a server path")
        }
        if value.hasPrefix("data:") {
            guard let comma = value.firstIndex(of: ","), value[..<comma].hasSuffix(";base64") else {
                throw APIError.badRequest("\"\(key)\" data URI must be data:image/...;base64,...")
            }
            guard value.hasPrefix("data:image/") else {
                throw APIError.badRequest("\"\(key)\" data URI must carry an image (data:image/...)")
            }
            guard let data = Data(base64Encoded: String(value[value.index(after: comma)...]), options: .ignoreUnknownCharacters),
                  !data.isEmpty else {
                throw APIError.badRequest("\"\(key)\" is not valid base64")
            }
            return ImageInput(data: data, label: "data-uri")
        }
        if value.hasPrefix("http://") || value.hasPrefix("https://") {
            throw APIError.badRequest("\"\(key)\": URLs are not fetched by this server; send the image itself")
        }
        let path = try roots.check(value)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APIError.badRequest("cannot read image file \(value)")
        }
        return ImageInput(data: data, label: path)
    }

    /// The decoded pixels; undecodable bytes are a 400.
    func decode() throws -> RGBImage {
        do {
            return try ImageDecoder.load(data: data, label: label)
        } catch {
            throw APIError.badRequest("\(label) is not a readable image: \(error)")
        }
    }

    /// SHA-256 of the bytes, lowercase hex.
    var sha256: String { SHA256Hex.bytes(data) }
}
