import Foundation

/// Reads the regular files of a ustar (or GNU) tar archive in order, without extracting them.
public enum TarReader {
    /// One file of an archive.
    public struct Entry: Sendable {
        /// Its path in the archive.
        public var path: String
        /// Its bytes.
        public var contents: Data
    }

    /// Every regular file of the archive at `url`, in archive order.
    public static func entries(of url: URL) throws -> [Entry] {
        let data = try Data(contentsOf: url)
        var out: [Entry] = []
        var offset = 0
        while offset + 512 <= data.count {
            let block = data[data.startIndex + offset..<data.startIndex + offset + 512]
            if block.allSatisfy({ $0 == 0 }) { return out }
            let h = Array(block)
            let sum = h.enumerated().reduce(0) { $0 + (148..<156 ~= $1.offset ? 32 : Int($1.element)) }
            guard sum == octal(h[148..<156]) else {
                throw TarError.malformed("bad header checksum at byte \(offset)")
            }
            let size = octal(h[124..<136])
            let name = string(h[0..<100]), prefix = string(h[345..<500])
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let start = offset + 512
            guard size >= 0, start + size <= data.count else { throw TarError.malformed("\(path) is cut short") }
            if h[156] == UInt8(ascii: "0") || h[156] == 0 {
                out.append(Entry(path: path, contents: data[data.startIndex + start..<data.startIndex + start + size]))
            }
            offset = start + (size + 511) / 512 * 512
        }
        throw TarError.malformed("no end-of-archive blocks")
    }

    private static func octal(_ bytes: ArraySlice<UInt8>) -> Int {
        var value = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "7") else {
                if b == 0 || b == 0x20 { continue }
                return -1
            }
            value = value * 8 + Int(b - UInt8(ascii: "0"))
        }
        return value
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
