import Foundation

/// Photos as phones write them, for tests of still-image input: a JPEG whose stored pixels are the
/// source turned the inverse way of an EXIF orientation, with an APP1 Exif segment declaring that
/// orientation, so a reader that honours the tag sees the source upright again.
public enum OrientedJPEG {
    /// The ffmpeg filter that stores an upright picture the way `orientation` (1 to 8) declares, nil
    /// for 1. FFmpeg's `transpose` values: 0 transposes, 1 turns clockwise, 2 counter-clockwise,
    /// 3 transverses. Orientation 6 ("turn 90 degrees clockwise to view") is stored turned counter-clockwise.
    public static func storingFilter(_ orientation: Int) -> String? {
        switch orientation {
        case 2: return "hflip"
        case 3: return "hflip,vflip"
        case 4: return "vflip"
        case 5: return "transpose=0"
        case 6: return "transpose=2"
        case 7: return "transpose=3"
        case 8: return "transpose=1"
        default: return nil
        }
    }

    /// Writes `source` (any image ffmpeg reads) as a high-quality 4:4:4 JPEG at `path`, stored for
    /// `orientation` and declaring it in a big- or little-endian Exif segment.
    public static func write(_ source: String, orientation: Int, to path: String, littleEndian: Bool = false) throws {
        let stored = path + ".stored.jpg"
        defer { try? FileManager.default.removeItem(atPath: stored) }
        var args = ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", source]
        if let filter = storingFilter(orientation) { args += ["-vf", filter] }
        args += ["-frames:v", "1", "-pix_fmt", "yuvj444p", "-q:v", "1", stored]
        let run = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["ffmpeg"] + args)
        guard run.status == 0 else { throw OrientedJPEGError(message: "ffmpeg \(args.joined(separator: " ")): \(run.stderr)") }
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: stored)))
        let segment = app1(exif([ExifEntry(tag: 0x0112, type: 3, count: 1, value: UInt32(orientation))], littleEndian: littleEndian))
        try Data(try inserting(segment, into: jpeg)).write(to: URL(fileURLWithPath: path))
    }

    /// An APP1 segment: the marker, the big-endian length (which counts itself), the payload.
    public static func app1(_ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + payload
    }

    /// The `Exif\0\0` header and a TIFF structure whose IFD0 (at offset 8) holds `entries`, then
    /// a zero next-IFD offset.
    public static func exif(_ entries: [ExifEntry], littleEndian: Bool = false) -> [UInt8] {
        var tiff: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        tiff += bytes(42, 2, littleEndian) + bytes(8, 4, littleEndian) + bytes(UInt32(entries.count), 2, littleEndian)
        for entry in entries {
            tiff += bytes(UInt32(entry.tag), 2, littleEndian) + bytes(UInt32(entry.type), 2, littleEndian)
                + bytes(entry.count, 4, littleEndian)
            // A SHORT value sits in the first two bytes of the four-byte value field.
            tiff += entry.type == 3 ? bytes(entry.value, 2, littleEndian) + [0, 0] : bytes(entry.value, 4, littleEndian)
        }
        return Array("Exif".utf8) + [0, 0] + tiff + [0, 0, 0, 0]
    }

    /// `segment` inserted right after the start-of-image marker of `jpeg`.
    public static func inserting(_ segment: [UInt8], into jpeg: [UInt8]) throws -> [UInt8] {
        guard jpeg.count > 2, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { throw OrientedJPEGError(message: "not a JPEG") }
        return [0xFF, 0xD8] + segment + jpeg[2...]
    }

    /// `value`'s low `count` bytes in the byte order asked for.
    public static func bytes(_ value: UInt32, _ count: Int, _ littleEndian: Bool) -> [UInt8] {
        let big = (0..<count).map { UInt8(value >> (8 * UInt32(count - 1 - $0)) & 0xFF) }
        return littleEndian ? big.reversed() : big
    }
}

/// One IFD entry: tag, TIFF type (3 SHORT, 4 LONG, ...), count and the value field's content.
public struct ExifEntry {
    public let tag: UInt16
    public let type: UInt16
    public let count: UInt32
    public let value: UInt32

    public init(tag: UInt16, type: UInt16, count: UInt32, value: UInt32) {
        self.tag = tag
        self.type = type
        self.count = count
        self.value = value
    }
}

/// A fixture could not be made.
public struct OrientedJPEGError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
