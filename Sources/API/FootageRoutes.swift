import FaceEngine
import Footage
import Foundation
import Jobs
import Store

/// The routes over the stored faces of finished jobs: a job rescanned against a watchlist as it
/// is now, and query by example (`find`).
extension APIService {
    /// `POST /jobs/{id}/rescan`: `facejob rescan JOB --watchlist W` (synchronous: nothing is decoded
    /// but the frames of hits). The report folder must lie under the allowed roots.
    func rescan(job: String, _ request: RescanJobRequest) async throws -> RescanSummary {
        if let directory = request.reportDirectory { try checkReportDirectory(directory) }
        return try await pool.run { [self] in
            let url = configuration.databaseURL
            let locator = DatabaseLocator(option: url)
            let record = try database.withConnection { try JobRepository(connection: $0).job(named: job) }
            var rescan = request.rescan(job: String(record.id))
            if rescan.reportDirectory == nil {
                rescan.reportDirectory = URL(fileURLWithPath: record.reportDirectory).deletingLastPathComponent()
                    .appendingPathComponent("rescan-{id}").path
                try checkReportDirectory(rescan.reportDirectory ?? "")
            }
            let result = try RescanRunner(connect: { try locator.connect(migrate: false, startEmbedded: false) }).run(rescan)
            return RescanSummary(result)
        }
    }

    /// `POST /footage/search`: the sightings of the probe's person in the stored footage.
    func footageSearch(_ request: FootageSearchRequest) async throws -> FootageSearchResponse {
        try await pool.run { [self] in
            try database.withConnection { connection in
                let jobs = JobRepository(connection: connection)
                let footage = FootageRepository(connection: connection)
                let probes: [FootageProbe]
                switch request.probe {
                case .image(let image):
                    probes = try FootageProbe.faces(try self.faces(of: image, field: "img", enforceDetection: true),
                                                    embedder: try self.analyzer().embedder, allFaces: request.allFaces,
                                                    label: image.label)
                case .embedding(let values):
                    guard values.count == FaceEmbedder.dimensions, values.allSatisfy(\.isFinite) else {
                        throw APIError.badRequest("\"embedding\" must have \(FaceEmbedder.dimensions) finite values, got \(values.count)")
                    }
                    probes = [FootageProbe(embedding: values, modelSHA256: try self.analyzer().embedder.modelSHA256,
                                           label: "embedding")]
                case .detection(let reference):
                    probes = [try FootageProbe.detection(reference, jobs: jobs, footage: footage)]
                case .sighting(let reference):
                    probes = [try FootageProbe.sighting(reference, jobs: jobs, footage: footage)]
                }
                let only = try request.jobs.map { try $0.map { try jobs.job(named: $0).id } }
                let query = FootageQuery(k: request.k, threshold: request.threshold, jobs: only, camera: request.camera,
                                         from: request.from, to: request.to)
                let results = try FootageSearcher.shared.find(probes, query: query, jobs: jobs, footage: footage)
                return FootageSearchResponse(results: results, probes: probes.map(\.label), threshold: request.threshold ?? 0.6)
            }
        }
    }
}
