import CLibPQ
import Foundation

/// Writes rows of a binary `COPY … FROM STDIN (FORMAT binary)` in PostgreSQL's PGCOPY format
/// (signature, flags, then per row a field count and length-prefixed big-endian fields), sending
/// them to the server in 256 KiB chunks. Each value must match its column's type exactly
/// (`.int4` for `integer`, `.int8` for `bigint`, …): binary COPY does no conversions.
public final class PostgresCopyWriter {
    private let connection: PostgresConnection
    private var buffer = ByteBuffer(capacity: PostgresCopyWriter.flushThreshold + 4096)
    /// Rows written so far.
    public private(set) var rowCount = 0
    static let flushThreshold = 256 * 1024
    /// What the server answers to a field of the wrong size: a malformed value, or a row that
    /// runs past its message ("insufficient data left in message").
    static let formatErrors: Set<String> = ["22P03", "08P01"]
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    init(connection: PostgresConnection) {
        self.connection = connection
        buffer.append(contentsOf: PostgresCopyWriter.signature)
        buffer.append(int32: 0)  // flags: no OIDs
        buffer.append(int32: 0)  // header extension length
    }

    /// Appends one row; NULL is `.null`.
    public func append(_ row: [PostgresValue]) throws {
        buffer.append(int16: Int16(row.count))
        for value in row {
            if let bytes = value.binaryBytes() {
                buffer.append(int32: Int32(bytes.count))
                buffer.append(contentsOf: bytes)
            } else {
                buffer.append(int32: -1)
            }
        }
        rowCount += 1
        if buffer.bytes.count >= PostgresCopyWriter.flushThreshold { try flush() }
    }

    func flush() throws {
        guard !buffer.bytes.isEmpty else { return }
        let status = buffer.bytes.withUnsafeBufferPointer { b in
            b.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: b.count) {
                    PQputCopyData(connection.handle, $0, Int32(b.count))
                }
            } ?? 1
        }
        guard status == 1 else {
            throw PostgresError(sqlState: "", message: PostgresConnection.trimmed(PQerrorMessage(connection.handle)),
                                context: "sending COPY data")
        }
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        buffer.append(int16: -1)  // file trailer
        try flush()
    }
}

extension PostgresConnection {
    /// Bulk-loads rows with binary COPY: `sql` is a `COPY table (cols) FROM STDIN (FORMAT binary)`
    /// statement, `body` appends the rows. Returns the number of rows the server stored. If `body`
    /// throws, the COPY is aborted (nothing is stored) and the error is rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (PostgresCopyWriter) throws -> Void) throws -> Int {
        let context = PostgresConnection.describe(sql)
        _ = try check(PQexec(handle, sql), context: context, accept: [PGRES_COPY_IN.rawValue])
        let writer = PostgresCopyWriter(connection: self)
        do {
            try body(writer)
            try writer.finish()
        } catch {
            PQputCopyEnd(handle, "aborted by facejob: \(error)")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            let message = PostgresConnection.trimmed(PQerrorMessage(handle))
            drainResults()
            throw PostgresError(sqlState: "", message: message, context: context)
        }
        let result: PostgresResult
        do {
            result = try check(PQgetResult(handle), context: context)
        } catch let error as PostgresError where PostgresCopyWriter.formatErrors.contains(error.sqlState) {
            drainResults()
            throw PostgresError(sqlState: error.sqlState, message: error.message, context: context
                + " (a field's type differs from its column's: binary COPY needs .int8 for bigint, .int4 for "
                + "integer, .float4 for real, …)")
        } catch {
            drainResults()
            throw error
        }
        drainResults()
        return result.affectedRows
    }

    /// Reads and discards results until libpq reports none left, so the connection is usable again.
    func drainResults() {
        while let r = PQgetResult(handle) { PQclear(r) }
    }
}
