import ArgumentParser
import Common
import FaceEngine
import Footage
import Foundation
import Store

/// `facejob find`: where and when a person appears in the stored footage.
struct FindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find where and when a person appears in the footage finished jobs stored, without decoding it.",
        discussion: """
        The probe is a photo (its largest face, or every face with --all-faces), a stored face \
        (--detection JOB/INPUT/FRAME/INDEX, as hits.csv and this command print them) or the best \
        face of a sighting of a job's report (--sighting JOB/SIGHTING). Every face stored by the \
        finished jobs embedded with the same model (or by --jobs) is compared exactly; the faces \
        under the threshold are grouped by track into sightings, ranked by their closest face: \
        camera, input, first and last seen (time into the input and wall clock), best frame, \
        distance. Exit: 0 answered (also with no sighting), 1 no face in the photo, 64 bad usage \
        or unknown job, detection or sighting.
        """)

    @OptionGroup var db: JobDatabaseOptions
    @Argument(help: "A probe photo.") var photo: String?
    @Option(help: "A stored face as the probe: JOB/INPUT/FRAME/INDEX.") var detection: String?
    @Option(help: "The best face of a job's sighting as the probe: JOB/SIGHTING.") var sighting: String?
    @Flag(help: "Search with every face of the photo, not only the largest.") var allFaces = false
    @Option(name: .short, help: "Sightings to list.") var k = 10
    @Option(help: "Largest distance that counts as the same person (default 0.6).") var threshold: Float?
    @Option(help: "Only these jobs (comma-separated ids or names).") var jobs: String?
    @Option(help: "Only this camera.") var camera: String?
    @Option(help: "Only faces seen at or after this wall-clock time (RFC 3339).") var from: String?
    @Option(help: "Only faces seen at or before this wall-clock time (RFC 3339).") var to: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        let probes = [photo != nil, detection != nil, sighting != nil].filter { $0 }.count
        guard probes == 1 else { throw ValidationError("give one probe: a photo, --detection or --sighting") }
        guard k > 0, k <= 10_000 else { throw ValidationError("-k must be between 1 and 10000") }
        if let threshold, !(threshold.isFinite && threshold >= 0) { throw ValidationError("--threshold must be >= 0") }
        _ = try RescanCommand.time(from, "--from")
        _ = try RescanCommand.time(to, "--to")
    }

    func run() async throws {
        try await mapErrors {
            let connection = try db.locator().connect()
            let jobRepository = JobRepository(connection: connection)
            let footage = FootageRepository(connection: connection)
            let probes: [FootageProbe]
            if let photo {
                probes = try FootageProbe.photo(at: photo, analyzer: try FaceAnalyzer(), allFaces: allFaces)
            } else if let detection {
                probes = [try FootageProbe.detection(detection, jobs: jobRepository, footage: footage)]
            } else {
                probes = [try FootageProbe.sighting(sighting ?? "", jobs: jobRepository, footage: footage)]
            }
            let only = try jobs.map { list in
                try list.split(separator: ",").map { try jobRepository.job(named: String($0).trimmingCharacters(in: .whitespaces)).id }
            }
            let query = FootageQuery(k: k, threshold: threshold, jobs: only, camera: camera,
                                     from: try RescanCommand.time(from, "--from"), to: try RescanCommand.time(to, "--to"))
            let started = Date()
            let answers = try FootageSearcher.shared.find(probes, query: query, jobs: jobRepository, footage: footage)
            let seconds = Date().timeIntervalSince(started)
            if json {
                try JSONOutput.print(zip(probes, answers).map { FindAnswer(probe: $0.label, sightings: $1) })
                return
            }
            for (probe, sightings) in zip(probes, answers) {
                print("\(probe.label): \(sightings.count) sighting(s) within \(query.threshold ?? 0.6) (\(String(format: "%.2f", seconds)) s)")
                if !sightings.isEmpty {
                    print("rank\tdistance\tjob\tcamera\tinput\ttrack\tfirst\tlast\twall clock (first)\tfaces\tbest detection")
                }
                for s in sightings {
                    print("\(s.rank)\t\(String(format: "%.4f", s.distance))\t\(s.jobID) \(s.jobName)\t\(s.camera ?? "-")\t"
                          + "\(s.inputPath)\t\(s.trackID)\t\(s.first.time)\t\(s.last.time)\t\(s.first.wallClock ?? "-")\t"
                          + "\(s.faces)\t\(s.detectionReference)")
                }
            }
        }
    }
}

/// One probe's answer in `find --json`.
struct FindAnswer: Encodable {
    var probe: String
    var sightings: [FootageSighting]
}
