import Foundation
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

    func testCanonicalText() throws {
        let doc = try JSONParser.parse(Array(#"{"b":[1.50,true,null,"\u00e9\n"],"a":{"z":1,"é":2,"Z":3}}"#.utf8))
        XCTAssertEqual(CanonicalJSON.text(doc.root), "{\"a\":{\"Z\":3,\"z\":1,\"é\":2},\"b\":[1.5,true,null,\"é\\n\"]}")
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

    func testParserKeepsBooleansApartFromNumbersAndFindsDuplicates() throws {
        let doc = try JSONParser.parse(Array(#"{"a":true,"b":1,"a":{"c":[1,{"c":2,"c":3}]}}"#.utf8))
        XCTAssertEqual(doc.root["b"], .number("1"))
        XCTAssertEqual(doc.root["a"], .bool(true))
        XCTAssertEqual(doc.duplicateKeys.map(\.description), ["/a/c/1/c", "/a"])
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "\"\u{01}\"", "tru", "{} {}", "\"\\ud800\""] {
            XCTAssertThrowsError(try JSONParser.parse(Array(bad.utf8)), bad)
        }
        XCTAssertEqual(try JSONParser.parse(Array("\"\\ud83d\\ude00\"".utf8)).root, .string("😀"))
    }

    func testPointerEscaping() {
        XCTAssertEqual(JSONPointer.root.appending("a/b").appending("m~n").appending(2).description, "/a~1b/m~0n/2")
    }
}
