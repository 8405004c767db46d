import Postgres

extension Migration {
    /// An analyst's decisions about a job's hits: one row per decision, on a sighting or on a single
    /// hit, never updated or deleted (the newest decision about a thing is its status). Each row
    /// names the audit row written with it.
    static let m0008Reviews = Migration(version: 8, name: "reviews", sql: """
        CREATE TABLE reviews (
            id            bigserial PRIMARY KEY,
            job_id        bigint NOT NULL REFERENCES jobs ON DELETE CASCADE,
            sighting_id   bigint,
            input_ordinal integer NOT NULL,
            frame_index   bigint,
            identity_id   bigint NOT NULL,
            track_id      bigint NOT NULL,
            decision      text NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
            reason        text,
            reviewer      text NOT NULL CHECK (reviewer <> ''),
            decided_at    timestamptz NOT NULL DEFAULT now(),
            audit_id      bigint NOT NULL REFERENCES audit_log,
            CHECK ((sighting_id IS NULL) <> (frame_index IS NULL))
        );
        CREATE INDEX reviews_job ON reviews (job_id, id);
        """)
}
