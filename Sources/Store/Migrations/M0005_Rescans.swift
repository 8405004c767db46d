import Postgres

extension Migration {
    /// Rescans: stored detections of finished jobs searched again against a watchlist as it is now,
    /// without decoding. A rescan is keyed by what it searches (the job inputs, the watchlist's
    /// state, the settings), so asking again for the same rescan finds it. Its inputs carry a
    /// checkpoint (the last frame whose hits are committed) so an interrupted rescan resumes
    /// exactly; its hits point at the stored detections and go when those go (a purged job). A sweep
    /// remembers the watchlist state it last searched with, to rescan when it changes.
    static let m0005Rescans = Migration(version: 5, name: "rescans", sql: """
        CREATE TABLE rescans (
            id              bigserial PRIMARY KEY,
            rescan_key      text NOT NULL UNIQUE,
            watchlist_id    bigint NOT NULL REFERENCES watchlists ON DELETE CASCADE,
            watchlist_name  text NOT NULL,
            watchlist_state jsonb NOT NULL,
            job_ids         bigint[] NOT NULL,
            settings        jsonb NOT NULL,
            report_dir      text NOT NULL,
            status          text NOT NULL DEFAULT 'running'
                            CHECK (status IN ('running', 'done', 'partial', 'failed')),
            runs            integer NOT NULL DEFAULT 0,
            skipped         jsonb NOT NULL DEFAULT '[]',
            frames_decoded  bigint NOT NULL DEFAULT 0,
            created_at      timestamptz NOT NULL DEFAULT now(),
            finished_at     timestamptz
        );

        CREATE TABLE rescan_inputs (
            rescan_id        bigint NOT NULL REFERENCES rescans ON DELETE CASCADE,
            ordinal          integer NOT NULL,
            job_id           bigint NOT NULL,
            input_ordinal    integer NOT NULL,
            status           text NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'searched', 'done', 'partial')),
            checkpoint_frame bigint,
            faces            bigint NOT NULL DEFAULT 0,
            hits             bigint NOT NULL DEFAULT 0,
            warning          text,
            seconds          double precision NOT NULL DEFAULT 0,
            PRIMARY KEY (rescan_id, ordinal),
            FOREIGN KEY (job_id, input_ordinal) REFERENCES job_inputs ON DELETE CASCADE
        );
        CREATE INDEX rescan_inputs_source ON rescan_inputs (job_id, input_ordinal);

        CREATE TABLE rescan_hits (
            rescan_id       bigint NOT NULL REFERENCES rescans ON DELETE CASCADE,
            job_id          bigint NOT NULL,
            input_ordinal   integer NOT NULL,
            frame_index     bigint NOT NULL,
            detection_index integer NOT NULL,
            identity_id     bigint NOT NULL,
            identity_name   text NOT NULL,
            external_id     text,
            face_id         bigint NOT NULL,
            distance        double precision NOT NULL,
            similarity      double precision NOT NULL,
            rank            integer NOT NULL,
            threshold       double precision NOT NULL,
            thumbnail       text,
            PRIMARY KEY (rescan_id, job_id, input_ordinal, frame_index, identity_id),
            FOREIGN KEY (job_id, input_ordinal, frame_index, detection_index) REFERENCES job_detections ON DELETE CASCADE
        );

        -- The watchlist state each sweep last searched with: a sweep with `rescan` set rescans its
        -- recent jobs when the state it finds differs.
        CREATE TABLE sweep_watchlist_states (
            sweep           text PRIMARY KEY,
            watchlist_state jsonb NOT NULL,
            recorded_at     timestamptz NOT NULL DEFAULT now()
        );
        """)
}
