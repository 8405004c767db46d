/// The PostgreSQL type OIDs facejob sends and reads (values from `pg_type`, stable across versions).
public enum PostgresOID {
    /// Let the server infer the type from the statement.
    public static let unknown: UInt32 = 0
    /// `boolean`.
    public static let bool: UInt32 = 16
    /// `bytea`.
    public static let bytea: UInt32 = 17
    /// `name` (catalog identifiers).
    public static let name: UInt32 = 19
    /// `bigint`.
    public static let int8: UInt32 = 20
    /// `smallint`.
    public static let int2: UInt32 = 21
    /// `integer`.
    public static let int4: UInt32 = 23
    /// `text`.
    public static let text: UInt32 = 25
    /// `oid`.
    public static let oid: UInt32 = 26
    /// `json`.
    public static let json: UInt32 = 114
    /// `real`.
    public static let float4: UInt32 = 700
    /// `double precision`.
    public static let float8: UInt32 = 701
    /// `character(n)`.
    public static let bpchar: UInt32 = 1042
    /// `character varying`.
    public static let varchar: UInt32 = 1043
    /// `timestamp without time zone`.
    public static let timestamp: UInt32 = 1114
    /// `timestamp with time zone`.
    public static let timestamptz: UInt32 = 1184
    /// `numeric`.
    public static let numeric: UInt32 = 1700
    /// `uuid`.
    public static let uuid: UInt32 = 2950
    /// `jsonb`.
    public static let jsonb: UInt32 = 3802
    /// `integer[]`.
    public static let int4Array: UInt32 = 1007
    /// `text[]`.
    public static let textArray: UInt32 = 1009
    /// `bigint[]`.
    public static let int8Array: UInt32 = 1016
    /// `real[]`.
    public static let float4Array: UInt32 = 1021
    /// `double precision[]`.
    public static let float8Array: UInt32 = 1022

    /// Types whose text form is the value itself (read as `String`).
    static let textLike: Set<UInt32> = [text, varchar, bpchar, name, json, unknown]

    /// A readable name for messages.
    static func describe(_ oid: UInt32) -> String {
        switch oid {
        case bool: return "boolean"
        case bytea: return "bytea"
        case name: return "name"
        case int8: return "bigint"
        case int2: return "smallint"
        case int4: return "integer"
        case text: return "text"
        case oid: return "oid"
        case json: return "json"
        case float4: return "real"
        case float8: return "double precision"
        case bpchar: return "character"
        case varchar: return "character varying"
        case timestamp: return "timestamp"
        case timestamptz: return "timestamptz"
        case numeric: return "numeric"
        case uuid: return "uuid"
        case jsonb: return "jsonb"
        case int4Array: return "integer[]"
        case textArray: return "text[]"
        case int8Array: return "bigint[]"
        case float4Array: return "real[]"
        case float8Array: return "double precision[]"
        default: return "type oid \(oid)"
        }
    }
}
