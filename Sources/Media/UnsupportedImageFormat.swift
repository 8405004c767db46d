/// Still-image formats this FFmpeg build cannot open, recognised by their first bytes rather than
/// by the file's name, so that failing to open one says which format it is and what to do.
enum UnsupportedImageFormat {
    /// How many leading bytes `name(head:)` needs at most.
    static let headLength = 256

    /// Brands of HEIF files holding HEVC pictures or none specific (`mif1`): iPhones' HEIC photos.
    private static let heifBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1"]
    /// AVIF is HEIF with AV1 pictures; libavformat 5.1 reads single-picture AVIF, so it is not named.
    private static let avifBrands: Set<String> = ["avif", "avis"]

    /// `HEIC/HEIF` when `head` (a file's first bytes) is an ISO base media `ftyp` box whose major or
    /// compatible brands are HEIF's and none is AVIF's; nil for anything else. Reads only inside
    /// both `head` and the box's own size.
    static func name(head: [UInt8]) -> String? {
        guard head.count >= 12, String(decoding: head[4..<8], as: UTF8.self) == "ftyp" else { return nil }
        let declared = head[0..<4].reduce(0) { $0 << 8 | Int($1) }
        // 0 means "to the end of the file", 1 a 64-bit size after the type: read what there is.
        let end = declared >= 16 ? min(declared, head.count) : head.count
        var brands = [String(decoding: head[8..<12], as: UTF8.self)]
        var offset = 16
        while offset + 4 <= end {
            brands.append(String(decoding: head[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        if brands.contains(where: avifBrands.contains) { return nil }
        return brands.contains(where: heifBrands.contains) ? "HEIC/HEIF" : nil
    }
}
