import Foundation

/// What `find` asks of the stored footage.
public struct FootageQuery: Sendable, Equatable {
    /// Sightings returned, best first.
    public var k: Int
    /// Largest embedding distance that counts as the same person (nil: the metric's default, 0.6).
    public var threshold: Float?
    /// Only these jobs (nil: every finished job embedded with the probe's model).
    public var jobs: [Int64]?
    /// Only this camera.
    public var camera: String?
    /// Only faces seen at or after this wall-clock time (inputs without a recording time are left out).
    public var from: Date?
    /// Only faces seen at or before this wall-clock time.
    public var to: Date?

    /// A query.
    public init(k: Int = 10, threshold: Float? = nil, jobs: [Int64]? = nil, camera: String? = nil, from: Date? = nil,
                to: Date? = nil) {
        self.k = k
        self.threshold = threshold
        self.jobs = jobs
        self.camera = camera
        self.from = from
        self.to = to
    }
}
