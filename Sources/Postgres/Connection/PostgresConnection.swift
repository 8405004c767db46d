import CLibPQ
import Foundation
import Logging

/// Result encoding requested from the server: text (the server's rendering) or binary (exact values).
public enum PostgresFormat: Int32, Sendable {
    /// Values as the server prints them.
    case text = 0
    /// Values in PostgreSQL's binary wire format.
    case binary = 1
}

/// One libpq connection to a PostgreSQL server.
///
/// Not thread-safe: use a connection from one thread at a time (handing it to another thread
/// between uses is fine, hence `@unchecked Sendable`); give concurrent workers a connection each
/// or a `PostgresPool`. The connection closes when the object is released. It does not reconnect:
/// after a connection failure (`PostgresError.isConnectionFailure`) open a new one.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    /// The URL this connection was opened with, password hidden (for messages and `db status`).
    public let displayURL: String

    /// Connects to a server named by a libpq URL, e.g. `postgresql://user@host:5432/db` or
    /// `postgresql://facejob@/facejob?host=/path/to/socket/dir`.
    public init(url: String) throws {
        displayURL = PostgresConnection.redact(url)
        // Keywords before `dbname` are defaults the URL may override; those after it win.
        let keywords = ["fallback_application_name", "connect_timeout", "dbname", "client_encoding"]
        let values = ["facejob", "10", url, "UTF8"]
        let cKeywords = keywords.map { strdup($0) }, cValues = values.map { strdup($0) }
        defer { for s in cKeywords + cValues { free(s) } }
        let kp: [UnsafePointer<CChar>?] = cKeywords.map { UnsafePointer($0) } + [nil]
        let vp: [UnsafePointer<CChar>?] = cValues.map { UnsafePointer($0) } + [nil]
        guard let conn = PQconnectdbParams(kp, vp, 1) else {
            throw PostgresError(sqlState: "08001", message: "libpq could not allocate a connection",
                                context: "connecting to \(displayURL)")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = PostgresConnection.trimmed(PQerrorMessage(conn))
            PQfinish(conn)
            throw PostgresError(sqlState: "08001", message: message, context: "connecting to \(displayURL)")
        }
        handle = conn
        // Server notices (e.g. "relation already exists, skipping") are chatter; warnings are logged.
        PQsetNoticeReceiver(conn, { _, result in
            guard let result, let severity = PQresultErrorField(result, PostgresConnection.severityField),
                  String(cString: severity) == "WARNING",
                  let message = PQresultErrorField(result, PostgresConnection.messageField) else { return }
            Logger(label: "facejob.postgres").warning("postgres warning: \(String(cString: message))")
        }, nil)
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with `$1…` parameters and returns its result (rows, or an empty result
    /// for commands). `resultFormat` chooses text or binary values for every column.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = [],
                        resultFormat: PostgresFormat = .text) throws -> PostgresResult {
        var storage: [UInt8] = []
        var offsets: [Int] = [], lengths: [Int32] = [], formats: [Int32] = [], types: [UInt32] = []
        for p in parameters {
            let bytes = p.parameterBytes()
            offsets.append(bytes == nil ? -1 : storage.count)
            lengths.append(Int32(bytes?.count ?? 0))
            formats.append(p.sentAsText ? 0 : 1)
            types.append(p.oid)
            if let bytes {
                storage.append(contentsOf: bytes)
                // libpq reads text-format values up to a NUL and ignores their lengths.
                if p.sentAsText { storage.append(0) }
            }
        }
        storage.append(0)  // a valid address even when every parameter is empty
        let raw = storage.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            let base = UnsafeRawPointer(buffer.baseAddress)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard offset >= 0, let base else { return nil }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return PQexecParams(handle, sql, Int32(parameters.count), types, pointers, lengths, formats,
                                resultFormat.rawValue)
        }
        return try check(raw, context: PostgresConnection.describe(sql))
    }

    /// Runs SQL text that may hold several statements (migrations, `BEGIN`, `SET …`), without
    /// parameters, through the simple query protocol.
    public func executeScript(_ sql: String) throws {
        _ = try check(PQexec(handle, sql), context: PostgresConnection.describe(sql))
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT`, or `ROLLBACK` when it throws.
    /// Inside an open transaction (nested calls, or a `BEGIN` of the caller's) it uses a savepoint,
    /// so an inner failure rolls back only the inner part.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let depth = isInTransaction ? transactionDepth + 1 : 0
        let savepoint = "facejob_savepoint_\(depth)"
        try executeScript(depth == 0 ? "BEGIN" : "SAVEPOINT \(savepoint)")
        let outerDepth = transactionDepth
        transactionDepth = depth
        defer { transactionDepth = outerDepth }
        let value: T
        do {
            value = try body()
        } catch {
            // Keep the caller's error; a failed rollback on a broken connection adds nothing.
            try? executeScript(depth == 0 ? "ROLLBACK"
                               : "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            throw error
        }
        if PQtransactionStatus(handle) == PQTRANS_INERROR {
            // The body swallowed a failed statement: COMMIT would silently roll back, so say so.
            try? executeScript(depth == 0 ? "ROLLBACK"
                               : "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            throw PostgresError(sqlState: "25P02", message: "a statement failed inside the transaction, "
                                + "so it was rolled back", context: "committing a transaction")
        }
        try executeScript(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
        return value
    }

    private var transactionDepth = 0

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// The server's version as a number, e.g. 150008 for 15.8.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// The one place a libpq result is checked: success statuses return the wrapped result, every
    /// other status (or no result at all) throws `PostgresError` with the server's SQLSTATE.
    func check(_ raw: OpaquePointer?, context: String,
               accept: Set<UInt32> = PostgresConnection.successStatuses) throws -> PostgresResult {
        guard let raw else {
            throw PostgresError(sqlState: "", message: PostgresConnection.trimmed(PQerrorMessage(handle)),
                                context: context)
        }
        let status = PQresultStatus(raw)
        if accept.contains(status.rawValue) { return PostgresResult(raw) }
        defer { PQclear(raw) }
        let state = PQresultErrorField(raw, PostgresConnection.sqlStateField).map { String(cString: $0) } ?? ""
        var message = PQresultErrorField(raw, PostgresConnection.messageField).map { String(cString: $0) }
            ?? PostgresConnection.trimmed(PQresultErrorMessage(raw))
        if let detail = PQresultErrorField(raw, PostgresConnection.detailField) {
            message += " (\(String(cString: detail)))"
        }
        if message.isEmpty { message = "unexpected result status \(String(cString: PQresStatus(status)))" }
        throw PostgresError(sqlState: state, message: message, context: context)
    }

    static let successStatuses: Set<UInt32> = [PGRES_COMMAND_OK.rawValue, PGRES_TUPLES_OK.rawValue,
                                               PGRES_EMPTY_QUERY.rawValue]
    static let sqlStateField = Int32(UInt8(ascii: "C"))   // PG_DIAG_SQLSTATE
    static let messageField = Int32(UInt8(ascii: "M"))    // PG_DIAG_MESSAGE_PRIMARY
    static let detailField = Int32(UInt8(ascii: "D"))     // PG_DIAG_MESSAGE_DETAIL
    static let severityField = Int32(UInt8(ascii: "V"))   // PG_DIAG_SEVERITY_NONLOCALIZED

    /// The statement's first line, shortened, as the context of an error.
    static func describe(_ sql: String) -> String {
        let line = sql.split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces) ?? ""
        return "running `\(line.count > 80 ? line.prefix(77) + "..." : line)`"
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A URL with its password replaced by `***`, safe to print.
    public static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
              let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<rest.index(after: colon)]) + "***" + String(url[at...])
    }
}
