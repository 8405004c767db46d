/// The DeepFace request fields every face route shares, validated: this server runs one model
/// (dlib's ResNet, DeepFace's "Dlib"), one detector (MTCNN) and always aligns, so other values
/// are refused rather than silently ignored.
struct FaceRequestOptions {
    let enforceDetection: Bool

    static let commonFields: Set<String> = ["model_name", "detector_backend", "distance_metric", "enforce_detection",
                                            "align", "anti_spoofing", "normalization", "expand_percentage"]

    init(_ fields: RequestFields) throws {
        if let model = try fields.string("model_name"), !["dlib", "dlib_resnet_v1"].contains(model.lowercased()) {
            throw APIError.badRequest("model_name \"\(model)\" is not served here; this server embeds with \"Dlib\" (dlib_resnet_v1)")
        }
        if let detector = try fields.string("detector_backend"), !["mtcnn", "default"].contains(detector.lowercased()) {
            throw APIError.badRequest("detector_backend \"\(detector)\" is not served here; this server detects with \"mtcnn\"")
        }
        if let metric = try fields.string("distance_metric"), metric.lowercased() != "euclidean" {
            throw APIError.badRequest("distance_metric \"\(metric)\" is not supported; Dlib embeddings are compared by \"euclidean\"")
        }
        guard try fields.bool("align", default: true) else {
            throw APIError.badRequest("align=false is not supported: the Dlib model only works on aligned face chips")
        }
        guard try !fields.bool("anti_spoofing", default: false) else {
            throw APIError.badRequest("anti_spoofing is not supported by this server")
        }
        if let n = try fields.string("normalization"), !["base", "dlib"].contains(n.lowercased()) {
            throw APIError.badRequest("normalization \"\(n)\" is not supported; Dlib uses its own (\"base\")")
        }
        if try fields.int("expand_percentage", default: 0, range: 0...100) != 0 {
            throw APIError.badRequest("expand_percentage is not supported: chips are aligned from the landmarks")
        }
        enforceDetection = try fields.bool("enforce_detection", default: true)
    }
}
