import Postgres

extension Migration {
    /// Every index segment records what wrote its bytes (`faiss` or `facejob-ivf`) and that
    /// writer's version, and the SHA-256 of the bytes: bytes of another FAISS build are rebuilt
    /// instead of read, and corrupt bytes are named instead of handed to a deserialiser. Segments
    /// written before this migration were all built by Debian's FAISS 1.7.3, the only FAISS facejob
    /// has linked; they carry no hash.
    static let m0010SegmentKinds = Migration(version: 10, name: "segment kinds", sql: """
        ALTER TABLE index_segments
            ADD COLUMN kind         text NOT NULL DEFAULT 'faiss',
            ADD COLUMN kind_version text NOT NULL DEFAULT '1.7.3',
            ADD COLUMN sha256       bytea CHECK (sha256 IS NULL OR octet_length(sha256) = 32);
        ALTER TABLE index_segments ALTER COLUMN kind DROP DEFAULT, ALTER COLUMN kind_version DROP DEFAULT;
        """)
}
