/// Everything one report needs: the header, the hits, the sightings and the enrolled photos.
public struct ReportBundle: Sendable, Equatable {
    /// Job header.
    public var header: ReportHeader
    /// Hits in any order; writers sort them.
    public var hits: [HitRecord]
    /// Sightings in any order; writers sort them.
    public var sightings: [SightingRecord]
    /// One enrolled photo per identity shown in the HTML report, keyed by identity id.
    public var enrolledPhotos: [Int64: EnrolledPhoto]

    /// Creates a bundle.
    public init(header: ReportHeader, hits: [HitRecord], sightings: [SightingRecord],
                enrolledPhotos: [Int64: EnrolledPhoto] = [:]) {
        self.header = header
        self.hits = hits
        self.sightings = sightings
        self.enrolledPhotos = enrolledPhotos
    }

    /// Hits in the writers' total order.
    public var sortedHits: [HitRecord] { hits.sorted(by: HitRecord.precedes) }
    /// Sightings in time order.
    public var sortedSightings: [SightingRecord] { sightings.sorted(by: SightingRecord.precedes) }
}

/// An enrolled photo's bytes; the HTML writer copies it to `enrolled/<identity id>.<ext>`.
public struct EnrolledPhoto: Sendable, Equatable {
    /// Encoded image bytes.
    public var data: [UInt8]
    /// Kind of image, decides the file extension.
    public var kind: Kind

    /// Image encodings a browser shows without plugins.
    public enum Kind: String, Sendable, Equatable {
        /// JPEG.
        case jpeg
        /// PNG.
        case png
        /// File extension used for the copy.
        public var fileExtension: String { self == .jpeg ? "jpg" : "png" }
    }

    /// Creates a photo.
    public init(data: [UInt8], kind: Kind) {
        self.data = data
        self.kind = kind
    }
}

/// Report formats a manifest can ask for.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    /// `hits.csv` and `sightings.csv`.
    case csv
    /// `hits.json`.
    case json
    /// `report.html`.
    case html
}
