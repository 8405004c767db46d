/// `Golden/dlib_reference.json` (written by `scripts/reference/make_dlib_golden.py` from dlib-bin
/// and face_recognition_models 0.3.0; format in the golden spec).
// swift-format-ignore: AlwaysUseLowerCamelCase
// The fields are the JSON document's own keys.
struct DlibGolden: Decodable {
    struct Chip: Decodable {
        let size: Int
        let padding: Double
        let mean: [Double]
        let std: [Double]
        let thumb8: [Double]
    }

    struct Face: Decodable {
        let detector: String
        let rect: [Int]
        let landmarks5: [[Int]]
        let chip: Chip
        let embedding: [Float]
    }

    struct Image: Decodable {
        let file: String
        let derive: String?
        let width: Int
        let height: Int
        let rgb_mean: [Double]
        let faces: [Face]
    }

    let dlib_version: String
    let images: [Image]
}
