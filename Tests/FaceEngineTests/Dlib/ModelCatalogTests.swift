import Foundation
import XCTest
@testable import FaceEngine

/// Loading converted models: the pinned hashes hold, and every broken file is refused with an
/// error that names the file and the command that recreates it.
final class ModelCatalogTests: XCTestCase {
    func testConvertedFilesMatchTheirPinnedHashes() throws {
        let catalog = try EngineFixtures.catalog()
        for entry in [ModelCatalog.dlibResNet, ModelCatalog.dlibShapePredictor5] {
            let file = try catalog.load(entry)
            XCTAssertEqual(file.model, entry.model)
            XCTAssertEqual(file.sha256, entry.sha256)
        }
    }

    func testMissingFolderNamesTheFixingCommand() {
        let catalog = ModelCatalog(directory: "/nonexistent/facejob-models")
        XCTAssertThrowsError(try catalog.embedder()) { error in
            XCTAssertEqual(error as? ModelFileError, .missing("/nonexistent/facejob-models/dlib_resnet_v1.fjm"))
            XCTAssertTrue("\(error)".contains("scripts/models/fetch"), "\(error)")
        }
    }

    func testAlteredFileIsRejectedByItsHash() throws {
        let source = try EngineFixtures.catalog()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: source.path(of: ModelCatalog.dlibShapePredictor5)))
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: dir.appendingPathComponent(ModelCatalog.dlibShapePredictor5.file))
        XCTAssertThrowsError(try ModelCatalog(directory: dir.path).shapePredictor()) { error in
            guard case .hashMismatch = error as? ModelFileError else { return XCTFail("\(error)") }
        }
    }

    func testWrongModelInTheFileIsRejected() throws {
        let source = try EngineFixtures.catalog()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: source.path(of: ModelCatalog.dlibShapePredictor5),
                                         toPath: dir.appendingPathComponent(ModelCatalog.dlibResNet.file).path)
        XCTAssertThrowsError(try ModelCatalog(directory: dir.path).embedder()) { error in
            guard case .wrongModel = error as? ModelFileError else { return XCTFail("\(error)") }
        }
        // Without the catalog's checks, the network refuses a file lacking its tensors.
        let wrong = try ModelFile(path: dir.appendingPathComponent(ModelCatalog.dlibResNet.file).path)
        XCTAssertThrowsError(try FaceEmbedder(model: wrong))
    }

    func testNotAModelFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-notmodel-\(UUID().uuidString).fjm").path
        try Data("hello, this is not a model".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try ModelFile(path: path)) { error in
            XCTAssertEqual(error as? ModelFileError, .badMagic(path))
        }
    }
}
