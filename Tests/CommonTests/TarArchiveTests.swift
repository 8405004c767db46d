import Foundation
import XCTest
@testable import Common

/// The case-export archive format: ustar that GNU tar reads, read back byte for byte, deterministic.
final class TarArchiveTests: XCTestCase {
    private func archive(_ files: [(String, Data)]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-tar-\(UUID().uuidString).tar")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let writer = try TarWriter(url: url)
        for (path, data) in files { try writer.add(path: path, contents: data) }
        try writer.finish()
        return url
    }

    func testRoundTripAndGNUTarAgrees() throws {
        let long = "case-1142/" + String(repeating: "deep/", count: 25) + "f000000123-t0004.jpg"
        let files: [(String, Data)] = [("case-1142/SHA256SUMS", Data("abc  x\n".utf8)), ("case-1142/empty.txt", Data()),
                                       ("case-1142/bytes.bin", Data((0..<1000).map { UInt8($0 % 251) })), (long, Data([1, 2, 3]))]
        let url = try archive(files)
        let read = try TarReader.entries(of: url)
        XCTAssertEqual(read.map(\.path), files.map(\.0))
        XCTAssertEqual(read.map(\.contents), files.map(\.1))
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-tf", url.path]
        let out = Pipe()
        tar.standardOutput = out
        try tar.run()
        let listed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        XCTAssertEqual(tar.terminationStatus, 0)
        XCTAssertEqual(listed.split(separator: "\n").map(String.init), files.map(\.0))
        XCTAssertEqual(try Data(contentsOf: url), try Data(contentsOf: try archive(files)), "the same files make the same bytes")
    }

    func testBadPathsAndDamageAreRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-tar-\(UUID().uuidString).tar")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let writer = try TarWriter(url: url)
        XCTAssertThrowsError(try writer.add(path: "/etc/passwd", contents: Data()))
        XCTAssertThrowsError(try writer.add(path: "a/../../b", contents: Data()))
        try writer.add(path: "a.txt", contents: Data("hello".utf8))
        try writer.finish()
        var bytes = try Data(contentsOf: url)
        bytes[3] ^= 0xFF  // a byte of the header's name: the checksum no longer holds
        try bytes.write(to: url)
        XCTAssertThrowsError(try TarReader.entries(of: url))
        try Data(count: 100).write(to: url)
        XCTAssertThrowsError(try TarReader.entries(of: url))
    }
}
