import Foundation
import Hummingbird
import Logging
import NIOCore

/// The HTTP server of `facejob serve`: the routes over an `APIService`. Every route but /healthz
/// checks the bearer token; every answer is JSON (errors `{"error": "..."}`) except /metrics.
public struct APIServer: Sendable {
    /// The shared state.
    public let service: APIService
    let logger: Logger

    /// A server over `service`.
    public init(service: APIService, logger: Logger = Logger(label: "facejob.api")) {
        self.service = service
        self.logger = logger
    }

    /// Builds the Hummingbird application; `onRunning` receives the bound port (useful with port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        let s = service
        router.get("/healthz", use: handler("/healthz", auth: false) { _, _ in
            APIServer.json(HealthResponse())
        })
        router.get("/metrics", use: handler("/metrics") { _, _ in
            let sizes = try await s.indexSizes()
            return MetricsEndpoint.response(s.metrics.render(pending: s.pool.pending, workers: s.pool.workers, indexSizes: sizes))
        })
        post(router, "/register") { (r: RegisterRequest, _) in try await s.register(r) }
        post(router, "/build/index") { (r: BuildIndexRequest, _) in try await s.buildIndex(r) }
        post(router, "/search") { (r: SearchRequest, _) in try await s.search(r) }
        post(router, "/verify") { (r: VerifyRequest, _) in try await s.verify(r) }
        post(router, "/represent") { (r: RepresentRequest, _) in try await s.represent(r) }
        post(router, "/jobs/:id/rescan", route: "/jobs/{id}/rescan") { (r: RescanJobRequest, context) in
            try await s.rescan(job: try Self.parameter(context, "id"), r)
        }
        post(router, "/footage/search") { (r: FootageSearchRequest, _) in try await s.footageSearch(r) }
        router.get("/unknowns", use: handler("/unknowns") { request, _ in
            let query = request.uri.queryParameters
            let minimum = query.get("min_sightings").map { Int($0) } ?? 1
            guard let minSightings = minimum, minSightings >= 1 else {
                throw APIError.badRequest("min_sightings must be a whole number of at least 1")
            }
            return APIServer.json(try await s.listUnknowns(jobs: query.getAll("job").map { String($0) }, camera: query.get("camera"),
                                                           minSightings: minSightings))
        })
        post(router, "/unknowns/:person/promote", route: "/unknowns/{id}/promote") { (r: PromoteUnknownRequest, context) in
            try await s.promoteUnknown(try Self.parameter(context, "person"), r)
        }
        post(router, "/jobs/:id/sightings/:sighting", route: "/jobs/{id}/sightings/{sid}", method: .patch) {
            (r: ReviewRequest, context) in
            try await s.review(job: try Self.parameter(context, "id"), sighting: try Self.parameter(context, "sighting"), r)
        }
        router.get("/watchlists/:watchlist/identities", use: handler("/watchlists/{w}/identities") { _, context in
            APIServer.json(try await s.listIdentities(watchlist: try Self.parameter(context, "watchlist")))
        })
        router.get("/watchlists/:watchlist/identities/:identity", use: handler("/watchlists/{w}/identities/{id}") { _, context in
            APIServer.json(try await s.showIdentity(watchlist: try Self.parameter(context, "watchlist"),
                                                    identity: try Self.parameter(context, "identity")))
        })
        router.delete("/watchlists/:watchlist/identities/:identity", use: handler("/watchlists/{w}/identities/{id}") { request, context in
            let reason = request.uri.queryParameters.get("reason")
            return APIServer.json(try await s.removeIdentity(watchlist: try Self.parameter(context, "watchlist"),
                                                             identity: try Self.parameter(context, "identity"), reason: reason))
        })
        let limit = s.configuration.maxBodyBytes, logger = self.logger
        router.post("/jobs", use: handler("/jobs") { request, _ in
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw APIError(.contentTooLarge, "request body exceeds the limit of \(limit) bytes (--max-body-mb)")
            }
            let force: Bool
            switch request.uri.queryParameters.get("force") {
            case nil, "false": force = false
            case "true": force = true
            case let other?: throw APIError.badRequest("force must be true or false, not \"\(other)\"")
            }
            return APIServer.json(try await s.submitJob(Data(buffer.readableBytesView), force: force, logger: logger),
                                  status: .accepted)
        })
        router.get("/jobs/:id", use: handler("/jobs/{id}") { _, context in
            APIServer.json(try await s.jobStatus(try Self.parameter(context, "id")))
        })
        router.get("/jobs/:id/:file", use: handler("/jobs/{id}/{file}") { _, context in
            let name = try Self.parameter(context, "file")
            let data = try await s.jobFile(try Self.parameter(context, "id"), name)
            return Response(status: .ok, headers: [.contentType: APIService.jobFiles[name] ?? "application/octet-stream"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        })
        let configuration = ApplicationConfiguration(address: .hostname(s.configuration.host, port: s.configuration.port),
                                                     serverName: "facejob")
        return Application(router: router, configuration: configuration,
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// A POST (or, with `method`, PATCH) route: the body (within the size limit) read as the route's
    /// request type, then `body`.
    private func post<R: APIRequest>(_ router: Router<BasicRequestContext>, _ path: String, route: String? = nil,
                                     method: HTTPRequest.Method = .post,
                                     _ body: @escaping @Sendable (R, BasicRequestContext) async throws -> any Encodable) {
        let roots = service.roots
        let limit = service.configuration.maxBodyBytes
        router.on(RouterPath(path), method: method, use: handler(route ?? path) { request, context in
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                throw APIError(.contentTooLarge, "request body of \(length) bytes exceeds the limit of \(limit) bytes (--max-body-mb)")
            }
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw APIError(.contentTooLarge, "request body exceeds the limit of \(limit) bytes (--max-body-mb)")
            }
            let fields = try RequestFields(body: Data(buffer.readableBytesView), contentType: request.headers[.contentType],
                                           allowed: R.fields)
            return APIServer.json(try await body(try R(fields, roots: roots), context))
        })
    }

    /// Wraps a route: authentication, error mapping, metrics.
    private func handler(_ route: String, auth: Bool = true,
                         _ body: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response)
        -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        let service = self.service, logger = self.logger
        return { request, context in
            let start = DispatchTime.now().uptimeNanoseconds
            let response: Response
            do {
                if auth { try service.auth.check(request.headers[.authorization]) }
                response = try await body(request, context)
            } catch {
                var logger = logger
                logger[metadataKey: "route"] = .string(route)
                let e = ErrorResponse.classify(error, logger: logger)
                var r = APIServer.json(ErrorBody(error: e.message), status: e.status)
                if let retry = e.retryAfter { r.headers[.retryAfter] = String(retry) }
                if e.status == .unauthorized { r.headers[.wwwAuthenticate] = "Bearer" }
                response = r
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            service.metrics.record(route: route, status: response.status.code, seconds: seconds)
            return response
        }
    }

    static func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else { throw APIError.badRequest("missing \(name) in the path") }
        return value.removingPercentEncoding ?? value
    }

    /// A JSON response: keys sorted, so equal answers are equal bytes.
    static func json(_ value: any Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"unencodable response\"}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
