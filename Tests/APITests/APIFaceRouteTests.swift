import Common
import Foundation
import Media
import TestSupport
import XCTest

/// Every face route's happy path with the real models and photos, and the register → search
/// (exact) → build index → search (ANN) → remove cycle, over real HTTP.
final class APIFaceRouteTests: XCTestCase {
    var photos: String { APITestServer.faces + "/face_recognition" }

    func testRegisterSearchBuildRemoveCycle() async throws {
        let models = try APITestServer.requireModels()
        let server = try await APITestServer(self, allowedRoots: [APITestServer.faces], models: models)

        let (form, type) = APITestServer.multipart(
            fields: ["watchlist": "suspects", "identity": "obama", "external_id": "case-1", "metadata": "{\"unit\": \"7\"}"],
            file: ("img", "obama.jpg", try Data(contentsOf: URL(fileURLWithPath: photos + "/obama.jpg"))))
        let obama = try await server.send("POST", "/register", body: form, contentType: type)
        XCTAssertEqual(obama.status, 200, obama.text)
        XCTAssertEqual(obama.json["inserted"] as? Int, 1)
        XCTAssertEqual(obama.json["image_sha256"] as? String, try SHA256Hex.file(at: photos + "/obama.jpg"), "the upload's bytes, exactly")
        let biden = try await server.send("POST", "/register", json: [
            "watchlist": "suspects", "img_name": "biden", "img": try APITestServer.dataURI(photos + "/biden.jpg")])
        XCTAssertEqual(biden.status, 200, biden.text)
        XCTAssertEqual(biden.json["inserted"] as? Int, 1)
        let again = try await server.send("POST", "/register", json: [
            "watchlist": "suspects", "identity": "obama", "img": photos + "/obama.jpg"])
        XCTAssertEqual(again.json["inserted"] as? Int, 0, again.text)
        XCTAssertEqual(again.json["duplicate"] as? Bool, true)

        // Exact search right after register sees the new faces.
        let exact = try await server.send("POST", "/search", json: [
            "watchlist": "suspects", "img": photos + "/obama2.jpg", "search_method": "exact", "k": 2])
        XCTAssertEqual(exact.status, 200, exact.text)
        let exactLists = try XCTUnwrap(exact.json["results"] as? [[[String: Any]]])
        XCTAssertEqual(exactLists.count, 1, "one list per query face")
        XCTAssertEqual(exactLists[0].first?["identity"] as? String, "obama", exact.text)
        XCTAssertEqual(exactLists[0].first?["external_id"] as? String, "case-1")
        XCTAssertLessThan(exactLists[0].first?["distance"] as? Double ?? 1, 0.6)
        XCTAssertFalse(exactLists[0].contains { $0["identity"] as? String == "biden" }, "biden is not obama")

        let build = try await server.send("POST", "/build/index", json: ["watchlist": "suspects"])
        XCTAssertEqual(build.status, 200, build.text)
        XCTAssertEqual(build.json["added"] as? Int, 2)
        let ann = try await server.send("POST", "/search", json: [
            "watchlist": "suspects", "img": try APITestServer.dataURI(photos + "/obama3.jpg"), "search_method": "ann"])
        XCTAssertEqual(ann.status, 200, ann.text)
        let annLists = try XCTUnwrap(ann.json["results"] as? [[[String: Any]]])
        XCTAssertEqual(annLists.first?.first?["identity"] as? String, "obama", ann.text)
        XCTAssertEqual(ann.json["search_method"] as? String, "ann")

        let list = try await server.send("GET", "/watchlists/suspects/identities")
        XCTAssertEqual(list.status, 200, list.text)
        let identities = try XCTUnwrap(list.json["identities"] as? [[String: Any]])
        XCTAssertEqual(Set(identities.compactMap { $0["name"] as? String }), ["obama", "biden"])
        XCTAssertEqual((identities.first { $0["name"] as? String == "obama" }?["metadata"] as? [String: Any])?["unit"] as? String, "7")
        let show = try await server.send("GET", "/watchlists/suspects/identities/obama")
        XCTAssertEqual(show.status, 200, show.text)
        XCTAssertEqual((show.json["face_records"] as? [Any])?.count, 1)
        let removed = try await server.send("DELETE", "/watchlists/suspects/identities/obama?reason=test")
        XCTAssertEqual(removed.status, 200, removed.text)
        XCTAssertEqual(removed.json["removed_faces"] as? Int, 1)
        let gone = try await server.send("DELETE", "/watchlists/suspects/identities/obama")
        XCTAssertEqual(gone.status, 404, gone.text)
        for method in ["exact", "ann"] {
            let after = try await server.send("POST", "/search", json: [
                "watchlist": "suspects", "img": photos + "/obama2.jpg", "search_method": method])
            let lists = try XCTUnwrap(after.json["results"] as? [[[String: Any]]], after.text)
            XCTAssertFalse(lists.joined().contains { $0["identity"] as? String == "obama" }, "\(method) still finds a removed identity")
        }

        let metrics = try await server.send("GET", "/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.text.contains("facejob_http_requests_total{route=\"/search\",status=\"200\"} 4"), metrics.text)
        XCTAssertTrue(metrics.text.contains("facejob_watchlist_faces{watchlist=\"suspects\"} 1"), metrics.text)
        XCTAssertTrue(metrics.text.contains("facejob_http_request_duration_seconds_bucket{route=\"/register\",le=\"+Inf\"} 3"))
        XCTAssertFalse(metrics.text.contains("facejob_faces_embedded_total 0\n"))
    }

    func testVerifyAndRepresent() async throws {
        let models = try APITestServer.requireModels()
        let server = try await APITestServer(self, allowedRoots: [APITestServer.faces], models: models)
        let same = try await server.send("POST", "/verify", json: ["img1": photos + "/obama.jpg", "img2": photos + "/obama2.jpg"])
        XCTAssertEqual(same.status, 200, same.text)
        XCTAssertEqual(same.json["verified"] as? Bool, true, same.text)
        XCTAssertEqual(same.json["model"] as? String, "Dlib")
        XCTAssertNotNil((same.json["facial_areas"] as? [String: Any])?["img2"])
        let different = try await server.send("POST", "/verify", json: [
            "img1": photos + "/obama.jpg", "img2": try APITestServer.dataURI(photos + "/biden.jpg")])
        XCTAssertEqual(different.json["verified"] as? Bool, false, different.text)
        XCTAssertGreaterThan(different.json["distance"] as? Double ?? 0, 0.6)

        let couple = try await server.send("POST", "/represent", json: ["img": APITestServer.faces + "/deepface/couple.jpg"])
        XCTAssertEqual(couple.status, 200, couple.text)
        let results = try XCTUnwrap(couple.json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 2, "couple.jpg shows two faces")
        XCTAssertEqual((results.first?["embedding"] as? [Double])?.count, 128)
        XCTAssertNotNil((results.first?["facial_area"] as? [String: Any])?["left_eye"])
        XCTAssertGreaterThan(results.first?["face_confidence"] as? Double ?? 0, 0.9)
    }

    /// A phone's portrait photo (EXIF orientation 6) sent as a file is read upright: its face is where
    /// the original has it, and the same person; a HEIC upload is a 400 that names the format.
    func testPhonePhotoIsReadUprightAndHEICIsNamed() async throws {
        let models = try APITestServer.requireModels()
        let server = try await APITestServer(self, allowedRoots: [APITestServer.faces], models: models)
        let portrait = try APITestServer.temporaryFolder(self, "orientation") + "/portrait.jpg"
        try OrientedJPEG.write(photos + "/obama.jpg", orientation: 6, to: portrait)
        let (body, type) = APITestServer.multipart(
            fields: ["img1": photos + "/obama.jpg"], file: ("img2", "portrait.jpg", try Data(contentsOf: URL(fileURLWithPath: portrait))))
        let verified = try await server.send("POST", "/verify", body: body, contentType: type)
        XCTAssertEqual(verified.status, 200, verified.text)
        XCTAssertEqual(verified.json["verified"] as? Bool, true, verified.text)
        XCTAssertLessThan(verified.json["distance"] as? Double ?? 1, 0.2, verified.text)
        let areas = verified.json["facial_areas"] as? [String: [String: Any]]
        for key in ["x", "y", "w", "h"] {
            let a = areas?["img1"]?[key] as? Int, b = areas?["img2"]?[key] as? Int
            XCTAssertNotNil(a, verified.text)
            XCTAssertLessThanOrEqual(abs((a ?? 0) - (b ?? Int.max / 2)), 12, "\(key): \(verified.text)")
        }

        let heic: [UInt8] = [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)
            + [0, 0, 0, 0x10] + Array("meta".utf8) + [UInt8](repeating: 0x5A, count: 8)
        let (heicBody, heicType) = APITestServer.multipart(fields: [:], file: ("img", "IMG_0001.HEIC", Data(heic)))
        let refused = try await server.send("POST", "/represent", body: heicBody, contentType: heicType)
        XCTAssertEqual(refused.status, 400, refused.text)
        XCTAssertTrue(refused.error.contains("upload:IMG_0001.HEIC: HEIC/HEIF images are not supported by this FFmpeg build"),
                      refused.text)
    }

    func testNoFaceAndNonImage() async throws {
        let models = try APITestServer.requireModels()
        let server = try await APITestServer(self, models: models)
        guard let gray = RGBImage(width: 320, height: 240, pixels: [UInt8](repeating: 128, count: 320 * 240 * 3)) else {
            return XCTFail("cannot build a test image")
        }
        let blank = "data:image/jpeg;base64," + (try JPEGWriter.encode(gray)).base64EncodedString()
        let before = try server.counts()
        let enforced = try await server.send("POST", "/register", json: ["watchlist": "w", "identity": "x", "img": blank])
        XCTAssertEqual(enforced.status, 400, enforced.text)
        XCTAssertTrue(enforced.error.contains("Face could not be detected"), enforced.text)
        let notImage = try await server.send("POST", "/register", json: [
            "watchlist": "w", "identity": "x", "img": "data:image/jpeg;base64," + Data("hello, world".utf8).base64EncodedString()])
        XCTAssertEqual(notImage.status, 400, notImage.text)
        XCTAssertTrue(notImage.error.contains("not a readable image"), notImage.text)
        XCTAssertEqual(try server.counts(), before)
        let relaxed = try await server.send("POST", "/represent", json: ["img": blank, "enforce_detection": "false"])
        XCTAssertEqual(relaxed.status, 200, relaxed.text)
        XCTAssertEqual((relaxed.json["results"] as? [Any])?.count, 0)
    }
}

/// Stateless: a second server in its own process (the built `facejob serve`, so its own index
/// cache) on the same database sees the first one's registrations and removals on its next search.
final class APIMultiServerTests: XCTestCase {
    func testTwoServerProcessesOnOneDatabase() async throws {
        let models = try APITestServer.requireModels()
        let photos = APITestServer.faces + "/face_recognition"
        let a = try await APITestServer(self, allowedRoots: [APITestServer.faces], models: models)
        let b = try ServerProcess.start(self, databaseURL: a.url, allowedRoots: [APITestServer.faces])
        let first = try await a.send("POST", "/register", json: ["watchlist": "shared", "identity": "biden", "img": photos + "/biden.jpg"])
        XCTAssertEqual(first.json["inserted"] as? Int, 1, first.text)
        let probe = try await a.send("POST", "/represent", json: ["img": photos + "/obama2.jpg"])
        let embedding = try XCTUnwrap((probe.json["results"] as? [[String: Any]])?.first?["embedding"] as? [Double])
        // b loads its cache now (no obama yet), then a registers obama: b's next search must see him.
        for method in ["exact", "ann"] {
            let before = try await b.send("POST", "/search", json: ["watchlist": "shared", "embedding": embedding, "search_method": method])
            XCTAssertEqual(before.status, 200, before.text)
            XCTAssertEqual((before.json["results"] as? [[Any]])?.first?.count, 0, before.text)
        }
        let second = try await a.send("POST", "/register", json: ["watchlist": "shared", "identity": "obama", "img": photos + "/obama.jpg"])
        XCTAssertEqual(second.json["inserted"] as? Int, 1, second.text)
        for method in ["exact", "ann"] {
            let after = try await b.send("POST", "/search", json: ["watchlist": "shared", "embedding": embedding, "search_method": method])
            XCTAssertEqual(((after.json["results"] as? [[[String: Any]]])?.first?.first)?["identity"] as? String, "obama",
                           "\(method): \(after.text)")
        }
        let removed = try await b.send("DELETE", "/watchlists/shared/identities/obama")
        XCTAssertEqual(removed.status, 200, removed.text)
        let gone = try await a.send("POST", "/search", json: ["watchlist": "shared", "embedding": embedding])
        XCTAssertEqual((gone.json["results"] as? [[Any]])?.first?.count, 0, gone.text)
    }
}
