import Common

/// The face engine `facejob run` uses: MTCNN detection, dlib landmarks, chips and ResNet
/// embeddings. Until the engine is part of the build, asking for it fails with exit 69.
public enum DefaultFaceEngine {
    /// The engine provider, or `FaceEngineUnavailable`.
    public static func provider() throws -> FaceEngineProvider {
        throw FaceEngineUnavailable(reason: "the face engine (MTCNN detector + dlib embedder) is not part of this build yet")
    }
}

/// The face engine cannot be used (not built, weights missing).
public struct FaceEngineUnavailable: UserFacingError {
    /// Why.
    public var reason: String
    /// Creates the error.
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
    public var exitStatus: ExitStatus { .unavailable }
}
