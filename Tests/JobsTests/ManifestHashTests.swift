import Foundation
import JSON
import XCTest
@testable import Jobs

final class ManifestHashTests: XCTestCase {
    private func hash(_ json: String) throws -> String {
        try ManifestHash.compute(JSONParser.parse(Array(json.utf8)).root)
    }

    func testStableUnderWhitespaceKeyOrderAndNumberSpelling() throws {
        let a = try hash(#"{"name":"n","watchlist":"w","inputs":[{"path":"a.mp4","camera":"c"}],"search":{"k":5,"threshold":0.6}}"#)
        let b = try hash("""
        {
            "search" : { "threshold" : 6e-1, "k" : 5.0 },
            "inputs" : [ { "camera" : "c", "path" : "a.mp4" } ],
            "watchlist" : "w",
            "name" : "n"
        }
        """)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.count, 64)
    }

    func testChangesWhenAnythingThatAffectsResultsChanges() throws {
        let base = try hash(#"{"name":"n","watchlist":"w","inputs":[{"path":"a.mp4"},{"path":"b.mp4"}]}"#)
        XCTAssertNotEqual(base, try hash(#"{"name":"n","watchlist":"w","inputs":[{"path":"b.mp4"},{"path":"a.mp4"}]}"#))
        XCTAssertNotEqual(base, try hash(#"{"name":"n","watchlist":"w2","inputs":[{"path":"a.mp4"},{"path":"b.mp4"}]}"#))
        XCTAssertNotEqual(base, try hash(#"{"name":"n","watchlist":"w","inputs":[{"path":"a.mp4"},{"path":"b.mp4"}],"search":{"threshold":0.61}}"#))
    }

    func testWorkersDatabaseAndSchemaAreNotPartOfTheIdentity() throws {
        let base = try hash(#"{"name":"n","watchlist":"w","inputs":[{"path":"a.mp4"}]}"#)
        XCTAssertEqual(base, try hash(#"{"$schema":"x","$comment":"note","name":"n","watchlist":"w","workers":8,"database":"postgres://h/db","inputs":[{"path":"a.mp4"}]}"#))
    }

    func testLocationsAreResolvedAgainstTheManifestsFolder() throws {
        func identity(_ json: String, in folder: String) throws -> String {
            try ManifestHash.compute(JSONParser.parse(Array(json.utf8)).root, resolvingAgainst: URL(fileURLWithPath: folder))
        }
        let relative = #"{"name":"n","watchlist":"w","inputs":[{"path":"cam/a.mp4"},{"glob":"night/**/*.mp4"}],"report":{"directory":"out"}}"#
        let absolute = #"{"name":"n","watchlist":"w","inputs":[{"path":"/case/cam/a.mp4"},{"glob":"/case/night/**/*.mp4"}],"report":{"directory":"/case/out"}}"#
        XCTAssertEqual(try identity(relative, in: "/case"), try identity(absolute, in: "/elsewhere"),
                       "the same footage and report folder, however spelled")
        XCTAssertEqual(try identity(absolute, in: "/elsewhere"), try hash(absolute), "absolute manifests keep the hash of their text")
        XCTAssertNotEqual(try identity(relative, in: "/case"), try identity(relative, in: "/case-2"), "another folder, another job")
        XCTAssertEqual(try identity(#"{"name":"n","watchlist":"w","inputs":[{"glob":"../case/./night/**/*.mp4"}],"report":{"directory":"/r"}}"#, in: "/case"),
                       try identity(#"{"name":"n","watchlist":"w","inputs":[{"glob":"/case/night/**/*.mp4"}],"report":{"directory":"/r"}}"#, in: "/x"))
        XCTAssertEqual(ManifestHash.anchoredGlob("*.mp4", base: URL(fileURLWithPath: "/case")), "/case/*.mp4")
        XCTAssertEqual(ManifestHash.anchoredGlob("../*.mp4", base: URL(fileURLWithPath: "/case")), "/*.mp4")
        XCTAssertEqual(ManifestHash.anchoredGlob("cam/2026-11-2[0-9]/*.mp4", base: URL(fileURLWithPath: "/case")),
                       "/case/cam/2026-11-2[0-9]/*.mp4")
        XCTAssertEqual(try identity(#"{"name":"n","watchlist":"w","inputs":[{"path":"./cam/../cam/a.mp4"}]}"#, in: "/case"),
                       try identity(#"{"name":"n","watchlist":"w","inputs":[{"path":"/case/cam/a.mp4"}]}"#, in: "/case"))
        // The default report folder, reports/<name> beside the manifest, is a location too.
        let defaulted = #"{"name":"n","watchlist":"w","inputs":[{"path":"/case/cam/a.mp4"}]}"#
        XCTAssertNotEqual(try identity(defaulted, in: "/case"), try identity(defaulted, in: "/case-2"))
        XCTAssertEqual(try identity(defaulted, in: "/case"),
                       try identity(#"{"name":"n","watchlist":"w","inputs":[{"path":"/case/cam/a.mp4"}],"report":{"directory":"/case/reports/n"}}"#,
                                    in: "/case"))
        XCTAssertEqual(try identity(#"{"name":"n","watchlist":"w","inputs":[{"path":"/a.mp4"}],"report":{"formats":["csv"]}}"#, in: "/case"),
                       try identity(#"{"name":"n","watchlist":"w","inputs":[{"path":"/a.mp4"}],"report":{"formats":["csv"],"directory":"/case/reports/n"}}"#,
                                    in: "/x"))
    }

    /// The canonical text and hash of a manifest with every kind of escaped character, pinned: a
    /// change to the shared JSON escaper must never change the identity of existing jobs. U+2028
    /// stays raw here (the reports escape it, the hash does not).
    func testCanonicalEscapingAndHashArePinned() throws {
        let doc = try JSONParser.parse(Array(#"{"watchlist":"w","name":"night \u2028 shift \"B\" \\ café \u0001","inputs":[{"path":"a\tb.mp4"}]}"#.utf8))
        XCTAssertEqual(CanonicalJSON.text(doc.root),
                       "{\"inputs\":[{\"path\":\"a\\tb.mp4\"}],\"name\":\"night \u{2028} shift \\\"B\\\" \\\\ café \\u0001\",\"watchlist\":\"w\"}")
        XCTAssertEqual(ManifestHash.compute(doc.root), "e6b5ce92c6f38cf21a62e07dcbf101decef3aaba29277cda7d22bea9affadd55")
    }

    /// The hashes of the example manifests as they ship (locations not resolved), pinned: a job
    /// made from them by an earlier facejob keeps its identity.
    func testExampleManifestHashesArePinned() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("manifests")
        let pinned = [
            "hamilton.json": "d880568105a8a6a88b6c71549df16693be531a522b30a1d0b267eb2bc4874034",
            "demo.json": "911479de75fee5d633dabb908fcf5afca79d1ad1ede9a17938ab7853374c20c0",
            "case-template.json": "a97fb0349b7e67ae5651ce97e64391170327cde8de5196fdff1db2a2a0c2a4e5",
        ]
        for (file, hash) in pinned {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            XCTAssertEqual(ManifestHash.compute(try JSONParser.parse(Array(data)).root), hash, file)
        }
    }
}
