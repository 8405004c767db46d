import ArgumentParser
import Common
import Foundation

/// Prints a user-facing error to standard error and turns it into the documented exit code.
/// Every command body runs through this so that no error escapes as a stack trace.
func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as UserFacingError {
        Observability.tell("facejob: \(error.description)", message: error.description,
                           metadata: ["exit_code": .stringConvertible(error.exitStatus.rawValue)])
        throw ExitCode(error.exitStatus.rawValue)
    }
}
