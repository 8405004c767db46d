import Common
import FaceEngine
import Foundation
import Media
import Postgres
import Store
import XCTest
@testable import Jobs

/// Real footage, real photos, real engine: the Hamilton clip and two enrolled people.
enum RunnerFixtures {
    /// `$FACEJOB_TEST_DATA/video`, or a skip that says why.
    static func videoData() throws -> URL {
        let root = ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data").path
        let video = URL(fileURLWithPath: root).appendingPathComponent("video").standardizedFileURL
        guard FileManager.default.fileExists(atPath: video.appendingPathComponent("short_hamilton_clip.mp4").path) else {
            let message = "!!! test data missing at \(video.path): runner end-to-end tests SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        return video
    }

    /// The engine over the installed weights, or a skip.
    static func engine() throws -> FaceEngineProvider {
        do {
            return try DefaultFaceEngine.provider()
        } catch {
            let message = "!!! face models unavailable (\(error)): runner end-to-end tests SKIPPED; run scripts/setup"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
    }

    /// Lin-Manuel Miranda and Alex Lacamoire: their photos in the video folder and their names.
    static let hamiltonCast: [(file: String, name: String)] = [("lin-manuel-miranda.png", "Lin-Manuel Miranda"),
                                                               ("alex-lacamoire.png", "Alex Lacamoire")]

    /// Enrolls the largest face of each photo (file in the video folder, identity name) into `hamilton`.
    static func enroll(_ connection: PostgresConnection, engine: FaceEngineProvider, video: URL,
                       people: [(file: String, name: String)]) throws {
        let watchlists = WatchlistRepository(connection: connection)
        let watchlist = try watchlists.ensureWatchlist(named: "hamilton", actor: "test")
        let model = try watchlists.model(for: engine.embeddingModel)
        let analyzer = try engine.makeAnalyzer(detector: DetectorSettings())
        var images: [EnrollmentImage] = []
        for (file, name) in people {
            let path = video.appendingPathComponent(file).path
            let image = try ImageDecoder.load(path: path)
            let faces = try analyzer.analyze([image])[0]
            let face = try XCTUnwrap(faces.max { $0.box.width * $0.box.height < $1.box.width * $1.box.height }, "no face in \(file)")
            images.append(EnrollmentImage(
                path: path, sha256: try SHA256Hex.file(at: path), width: image.width, height: image.height,
                identity: IdentitySpec(name: name, externalID: file),
                faces: [EnrollmentFace(box: [Float(face.box.x), Float(face.box.y), Float(face.box.width), Float(face.box.height)],
                                       landmarks: [], detectionScore: Float(face.score), embedding: face.embedding)]))
        }
        _ = try watchlists.enroll(images, scope: WatchlistScope(watchlist: watchlist, model: model), actor: "test")
    }

    /// A manifest over `inputs` in `folder`, every `every`-th frame.
    static func writeManifest(in folder: URL, name: String = "hamilton-test", inputs: [String], every: Int = 5,
                              extra: String = "") throws -> URL {
        let list = inputs.map { "{\"path\": \"\($0)\", \"camera\": \"stage\", \"recorded_at\": \"2015-08-06T20:00:00-04:00\"}" }
        let text = """
            {"name": "\(name)", "watchlist": "hamilton", "inputs": [\(list.joined(separator: ", "))],
             "sampling": {"every_n": \(every)}, "search": {"method": "exact", "k": 1, "threshold": 0.6},
             "report": {"directory": "reports", "formats": ["csv", "json", "html"], "thumbnails": true}\(extra)}
            """
        let url = folder.appendingPathComponent("\(name).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A fresh temporary folder removed after the test.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-runner-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
