import Postgres

extension Migration {
    /// Unknown persons: the tracks no watchlist identity matched, grouped into persons with stable
    /// ids (`U-<id>`). A track keeps its person once placed; analysts' merges and splits pin the
    /// tracks they move. Tracks go with their job input (a purge removes them); the embedding of a
    /// person is never stored apart from its tracks.
    static let m0007UnknownPersons = Migration(version: 7, name: "unknown_persons", sql: """
        CREATE TABLE unknown_persons (
            id              bigserial PRIMARY KEY,
            embedder_sha256 text NOT NULL,
            status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'promoted')),
            merged_into     bigint REFERENCES unknown_persons,
            watchlist_name  text,
            identity_id     bigint,
            created_at      timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE unknown_tracks (
            job_id         bigint NOT NULL,
            input_ordinal  integer NOT NULL,
            track_id       bigint NOT NULL,
            person_id      bigint NOT NULL REFERENCES unknown_persons,
            representative real[] NOT NULL,
            faces          integer NOT NULL,
            first_us       bigint NOT NULL,
            last_us        bigint NOT NULL,
            best_frame     bigint NOT NULL,
            best_us        bigint NOT NULL,
            best_detection integer NOT NULL,
            best_score     double precision NOT NULL,
            best_box       real[] NOT NULL CHECK (cardinality(best_box) = 4),
            pinned         boolean NOT NULL DEFAULT false,
            PRIMARY KEY (job_id, input_ordinal, track_id),
            FOREIGN KEY (job_id, input_ordinal) REFERENCES job_inputs ON DELETE CASCADE
        );
        CREATE INDEX unknown_tracks_person ON unknown_tracks (person_id);
        """)
}
