import Postgres

extension Migration {
    /// Evidence clips cut for a job's sightings: the file, its SHA-256 and the span it covers, or
    /// why it could not be cut. Replaced each time the job completes.
    static let m0009Clips = Migration(version: 9, name: "clips", sql: """
        CREATE TABLE job_clips (
            job_id        bigint NOT NULL REFERENCES jobs ON DELETE CASCADE,
            sighting_id   bigint NOT NULL,
            input_ordinal integer NOT NULL,
            identity_id   bigint NOT NULL,
            track_id      bigint NOT NULL,
            path          text,
            sha256        text,
            from_ms       bigint,
            to_ms         bigint,
            warning       text,
            CHECK ((path IS NULL) = (sha256 IS NULL)),
            CHECK (path IS NOT NULL OR warning IS NOT NULL),
            PRIMARY KEY (job_id, sighting_id)
        );
        """)
}
