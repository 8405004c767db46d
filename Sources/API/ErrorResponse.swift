import Common
import Footage
import Foundation
import HTTPTypes
import Logging
import NIOCore
import Search
import Store
import Watchlist

/// Maps any error to a status and a client message: the API's own errors as they are, unknown
/// names to 404, library validation errors to 400, a held lock to 409; anything else is a 500
/// whose details go to the log only.
enum ErrorResponse {
    static func classify(_ error: Error, logger: Logger) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "request body too large")
        case let e as WatchlistError:
            switch e {
            case .unknownWatchlist, .unknownIdentity, .unknownFace: return APIError(.notFound, e.description)
            case .modelConflict: return APIError(.conflict, e.description)
            default: return APIError(.badRequest, e.description)
            }
        case let e as JobStoreError:
            if case .unknownJob = e { return APIError(.notFound, e.description) }
            return APIError(e.exitStatus == .locked ? .conflict : .badRequest, e.description)
        case let e as FootageError:
            switch e {
            case .unknownDetection, .unknownSighting: return APIError(.notFound, e.description)
            case .noFace: return APIError(.badRequest, e.description)
            default: return APIError(.badRequest, e.description)
            }
        case let e as ReviewStoreError:
            switch e {
            case .noSuchSighting, .noSuchHit: return APIError(.notFound, e.description)
            case .noReviewer: return APIError(.badRequest, e.description)
            }
        case let e as UnknownStoreError:
            switch e {
            case .noSuchPerson: return APIError(.notFound, e.description)
            case .merged: return APIError(.gone, e.description)
            default: return APIError(.badRequest, e.description)
            }
        case let e as IndexBuildError:
            return APIError(e.exitStatus == .locked ? .conflict : .badRequest, e.description)
        case let e as UserFacingError where e.exitStatus == .usage:
            return APIError(.badRequest, e.description)
        case let e as UserFacingError where e.exitStatus == .locked:
            return APIError(.conflict, e.description)
        case let e as UserFacingError where e.exitStatus == .unavailable:
            logger.error("dependency unavailable: \(e.description)")
            return APIError(.serviceUnavailable, "a dependency is unavailable (see the server log)", retryAfter: 5)
        default:
            logger.error("internal error: \(String(describing: error))")
            return APIError(.internalServerError, "internal error (see the server log)")
        }
    }
}
