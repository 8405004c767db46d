import CLibPQ
import Foundation

/// The rows (or command outcome) of one statement. Values are read through `PostgresRow`.
public final class PostgresResult: @unchecked Sendable {
    let raw: OpaquePointer
    /// Column names in order.
    public let columnNames: [String]

    init(_ raw: OpaquePointer) {
        self.raw = raw
        // A COPY result announces its column count but has no names.
        columnNames = (0..<PQnfields(raw)).map { PQfname(raw, $0).map { String(cString: $0) } ?? "column\($0 + 1)" }
    }

    deinit { PQclear(raw) }

    /// Number of rows returned.
    public var rowCount: Int { Int(PQntuples(raw)) }
    /// Number of columns returned.
    public var columnCount: Int { columnNames.count }
    /// Rows affected by an INSERT/UPDATE/DELETE/COPY (0 when the command reports none).
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(raw))) ?? 0 }

    /// The type OID of a column (see `PostgresOID`).
    public func columnType(_ column: Int) -> UInt32 { PQftype(raw, Int32(column)) }

    /// The position of a column by its exact name.
    public func columnIndex(_ name: String) throws -> Int {
        guard let index = columnNames.firstIndex(of: name) else {
            throw PostgresDecodingError(column: name, row: nil,
                                        problem: "no such column; the result has \(columnNames)")
        }
        return index
    }

    /// One row.
    public subscript(row: Int) -> PostgresRow { PostgresRow(result: self, index: row) }

    /// All rows in order.
    public var rows: [PostgresRow] { (0..<rowCount).map { PostgresRow(result: self, index: $0) } }

    /// The single value of a one-row, one-column result (`SELECT count(*) …`).
    public func scalar<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard rowCount == 1, columnCount == 1 else {
            throw PostgresDecodingError(column: columnNames.first ?? "?", row: nil,
                problem: "expected one row with one column, got \(rowCount) rows of \(columnCount) columns")
        }
        return try self[0].decode(0, as: T.self)
    }

    /// The raw cell at `row`, `column` (binary results are read without a copy through `withBytes`).
    public func cell(row: Int, column: Int) throws -> PostgresCell {
        guard row >= 0, row < rowCount else {
            throw PostgresDecodingError(column: column < columnCount && column >= 0 ? columnNames[column] : "#\(column)",
                                        row: row, problem: "row out of range (\(rowCount) rows)")
        }
        guard column >= 0, column < columnCount else {
            throw PostgresDecodingError(column: "#\(column)", row: row,
                                        problem: "column out of range (\(columnCount) columns)")
        }
        return PostgresCell(result: self, row: Int32(row), column: Int32(column))
    }
}

/// One row of a result; decode its columns by position or name.
public struct PostgresRow: @unchecked Sendable {
    /// The result holding this row.
    public let result: PostgresResult
    /// The row's position in the result.
    public let index: Int

    /// The value of the column at `column`, as `T` (use an Optional type for nullable columns).
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        try T.decode(result.cell(row: index, column: column))
    }

    /// The value of the column named `column`, as `T` (use an Optional type for nullable columns).
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try T.decode(result.cell(row: index, column: result.columnIndex(column)))
    }

    /// True when the column at `column` is NULL.
    public func isNull(_ column: Int) -> Bool { PQgetisnull(result.raw, Int32(index), Int32(column)) == 1 }
}

/// One value of a result: its bytes, type and format, valid while the result lives.
public struct PostgresCell {
    let result: PostgresResult
    let row: Int32
    let column: Int32

    /// True for SQL NULL.
    public var isNull: Bool { PQgetisnull(result.raw, row, column) == 1 }
    /// The column's type OID.
    public var type: UInt32 { PQftype(result.raw, column) }
    /// The format the value arrived in.
    public var format: PostgresFormat { PQfformat(result.raw, column) == 1 ? .binary : .text }
    /// The column's name (for messages).
    public var columnName: String { result.columnNames[Int(column)] }

    /// Calls `body` with the value's bytes (the result keeps them alive for the call).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let length = Int(PQgetlength(result.raw, row, column))
        guard let base = PQgetvalue(result.raw, row, column) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: base, count: length))
    }

    /// The value's text (text format), or its bytes read as UTF-8.
    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// An error naming this cell.
    public func mismatch(_ problem: String) -> PostgresDecodingError {
        PostgresDecodingError(column: columnName, row: Int(row), problem: problem)
    }

    /// An error saying the column's type cannot be read as `target`.
    public func typeMismatch(_ target: String) -> PostgresDecodingError {
        mismatch("a \(PostgresOID.describe(type)) column (\(format == .binary ? "binary" : "text")) cannot be read as \(target)")
    }
}
