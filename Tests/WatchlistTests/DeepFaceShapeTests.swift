import Foundation
import Search
import XCTest
@testable import Watchlist

/// DeepFace's search shape as the API and `facejob search --json` write it: nulls where DeepFace
/// has them, no source box for a query sent as an embedding, keys sorted.
final class DeepFaceShapeTests: XCTestCase {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func testAMatchRowNamesItsColumnsLikeDeepFace() throws {
        let match = WatchlistMatch(identityID: 7, identityName: "J. Doe", externalID: nil, faceID: 3, embeddingID: 11,
                                   distance: 0.25, similarity: 0.9, rank: 1, threshold: 0.5, queryBox: nil,
                                   imageSHA256: "ab", sourcePath: "/w/j.jpg")
        XCTAssertEqual(try json(SearchMatch(match)),
                       #"{"confidence":50,"distance":0.25,"embedding_id":11,"external_id":null,"face_id":3,"hash":"ab","#
                       + #""identity":"J. Doe","identity_id":7,"img_name":"\/w\/j.jpg","rank":1,"similarity":0.8999999761581421,"#
                       + #""threshold":0.5}"#)
        let boxed = WatchlistMatch(identityID: 7, identityName: "J. Doe", externalID: "W-1", faceID: 3, embeddingID: 11,
                                   distance: 0.25, similarity: 0.9, rank: 1, threshold: 0.5, queryBox: [10.4, 20.5, 30, 40],
                                   imageSHA256: "ab", sourcePath: "j.jpg")
        let row = try json(SearchMatch(boxed))
        XCTAssertTrue(row.contains(#""external_id":"W-1""#), row)
        XCTAssertTrue(row.contains(#""source_h":40,"source_w":30,"source_x":10,"source_y":21"#), row)
    }

    func testAnEmbeddingQueryHasNoFaces() throws {
        let response = SearchResponse([QueryResult(queryIndex: 0, queryBox: nil, matches: [])], watchlist: "w",
                                      method: .ann, probes: [])
        XCTAssertEqual(try json(response),
                       #"{"detector_backend":"mtcnn","distance_metric":"euclidean","model":"Dlib","results":[[]],"#
                       + #""search_method":"ann","watchlist":"w"}"#)
    }
}
