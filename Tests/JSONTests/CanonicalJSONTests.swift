import Common
import JSON
import XCTest

/// The canonical text is what a manifest hash is taken over, so a job's identity depends on every
/// byte of it: these texts are pinned, and any change to them (an escaper option, a number
/// spelling, the key order) fails here before it can change the identity of existing jobs.
final class CanonicalJSONTests: XCTestCase {
    private func canonical(_ json: String) throws -> String {
        CanonicalJSON.text(try JSONParser.parse(Array(json.utf8)).root)
    }

    func testPinnedCanonicalTexts() throws {
        let pinned: [(String, String)] = [
            (#"{ "b" : 1, "a" : [true, false, null] }"#, #"{"a":[true,false,null],"b":1}"#),
            (#"{"n": [5, 5.0, 5e0, -0, 0.6, 6e-1, 1e21, 1.5e300, 9007199254740993]}"#,
             #"{"n":[5,5,5,0,0.6,0.6,1e+21,1.5e+300,9007199254740993]}"#),
            (#"{"s": "quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f"}"#,
             #"{"s":"quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f"}"#),
            (#"{"c": "\u0001\u001f", "u": "é \u00e9 € 😀"}"#, "{\"c\":\"\\u0001\\u001f\",\"u\":\"é é € 😀\"}"),
            // U+2028 and U+2029 stay raw in the canonical text (the report writer may escape them; a hash may not change).
            ("{\"ls\": \"a\u{2028}b\u{2029}c\"}", "{\"ls\":\"a\u{2028}b\u{2029}c\"}"),
            // Keys sort by UTF-16 code units: "Z" < "a" < "é" < "😀" (a surrogate) < "￿".
            ("{\"￿\": 5, \"😀\": 4, \"é\": 3, \"a\": 2, \"Z\": 1}", "{\"Z\":1,\"a\":2,\"é\":3,\"😀\":4,\"￿\":5}"),
            (#"[{"x": {}}, [], ""]"#, #"[{"x":{}},[],""]"#),
        ]
        for (input, expected) in pinned {
            XCTAssertEqual(try canonical(input), expected, input)
        }
    }

    func testCanonicalTextOfAManifestAndItsHash() throws {
        // The canonical text of a small manifest; ManifestHashTests pins the hashes of real ones.
        let text = try canonical(#"{"name":"n","watchlist":"w","inputs":[{"path":"a.mp4","camera":"c"}],"search":{"k":5,"threshold":0.6}}"#)
        XCTAssertEqual(text, #"{"inputs":[{"camera":"c","path":"a.mp4"}],"name":"n","search":{"k":5,"threshold":0.6},"watchlist":"w"}"#)
        XCTAssertEqual(SHA256Hex.bytes(Array(#"{"a":1}"#.utf8)), "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862")
    }

    func testEscaperOptionOnlyAffectsLineSeparators() {
        let s = "a\u{2028}b\"\n"
        XCTAssertEqual(JSONString.quote(s), "\"a\u{2028}b\\\"\\n\"")
        XCTAssertEqual(JSONString.quote(s, lineSeparators: true), "\"a\\u2028b\\\"\\n\"")
    }

    func testCanonicalText() throws {
        let doc = try JSONParser.parse(Array(#"{"b":[1.50,true,null,"\u00e9\n"],"a":{"z":1,"é":2,"Z":3}}"#.utf8))
        XCTAssertEqual(CanonicalJSON.text(doc.root), "{\"a\":{\"Z\":3,\"z\":1,\"é\":2},\"b\":[1.5,true,null,\"é\\n\"]}")
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
