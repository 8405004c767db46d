/// The unknown persons report (`unknowns.csv`, `unknowns.json`, `unknowns.html`): persons that
/// no watchlist identity matched, grouped from their tracks, who keeps coming back first.
public struct UnknownsReport: Sendable, Equatable {
    /// One sighting of an unknown person: one track in one input.
    public struct Sighting: Sendable, Equatable {
        /// `JOB/INPUT/TRACK`.
        public var reference: String
        /// The job's id and name.
        public var jobID: Int64
        /// The job's name.
        public var jobName: String
        /// The input file.
        public var inputPath: String
        /// Its SHA-256.
        public var inputSHA256: String
        /// The camera, when the manifest names one.
        public var camera: String?
        /// First and last seen, microseconds from the input's start.
        public var firstPtsMicroseconds: Int64
        /// Last seen.
        public var lastPtsMicroseconds: Int64
        /// First and last seen in wall-clock time (RFC 3339), when the recording start is known.
        public var firstWallClock: String?
        /// Last seen, wall clock.
        public var lastWallClock: String?
        /// Faces in the track.
        public var faces: Int
        /// The track's best face: frame, and its thumbnail relative to the report folder (if cut).
        public var bestFrame: Int64
        /// The thumbnail of the best face.
        public var thumbnailPath: String?

        /// A sighting.
        public init(reference: String, jobID: Int64, jobName: String, inputPath: String, inputSHA256: String,
                    camera: String?, firstPtsMicroseconds: Int64, lastPtsMicroseconds: Int64, firstWallClock: String?,
                    lastWallClock: String?, faces: Int, bestFrame: Int64, thumbnailPath: String?) {
            self.reference = reference
            self.jobID = jobID
            self.jobName = jobName
            self.inputPath = inputPath
            self.inputSHA256 = inputSHA256
            self.camera = camera
            self.firstPtsMicroseconds = firstPtsMicroseconds
            self.lastPtsMicroseconds = lastPtsMicroseconds
            self.firstWallClock = firstWallClock
            self.lastWallClock = lastWallClock
            self.faces = faces
            self.bestFrame = bestFrame
            self.thumbnailPath = thumbnailPath
        }
    }

    /// One unknown person.
    public struct Person: Sendable, Equatable {
        /// `U-17`.
        public var label: String
        /// `active` or `promoted`.
        public var status: String
        /// When promoted: the watchlist and the identity's name there.
        public var promotedTo: String?
        /// Its sightings in time order (wall clock where known, else job, input and time).
        public var sightings: [Sighting]
        /// Distinct cameras among the sightings (an input without a camera counts as its own).
        public var cameraCount: Int
        /// The best sighting's thumbnail, then up to four more from other sightings.
        public var thumbnails: [String]

        /// A person.
        public init(label: String, status: String, promotedTo: String?, sightings: [Sighting], cameraCount: Int,
                    thumbnails: [String]) {
            self.label = label
            self.status = status
            self.promotedTo = promotedTo
            self.sightings = sightings
            self.cameraCount = cameraCount
            self.thumbnails = thumbnails
        }
    }

    /// When the report was made (RFC 3339).
    public var generatedAt: String
    /// The jobs it covers (ids).
    public var jobIDs: [Int64]
    /// The link threshold clustering used.
    public var threshold: Double
    /// Persons, ordered by distinct cameras, then sightings (both descending), then label.
    public var persons: [Person]
    /// Footage that changed or went missing, so thumbnails are missing.
    public var warnings: [String]

    /// A report.
    public init(generatedAt: String, jobIDs: [Int64], threshold: Double, persons: [Person], warnings: [String]) {
        self.generatedAt = generatedAt
        self.jobIDs = jobIDs
        self.threshold = threshold
        self.persons = persons
        self.warnings = warnings
    }
}
