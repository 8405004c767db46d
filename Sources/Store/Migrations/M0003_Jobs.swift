import Postgres

extension Migration {
    /// Job state: jobs (name + manifest hash), their inputs with status, error, lease and
    /// checkpoint, and what each batch of frames produced (detections, hits), committed together
    /// with the checkpoint so a resumed job neither repeats nor skips a frame. Sightings are
    /// derived from hits when reports are written. The sweep ledger remembers footage a sweep saw.
    /// Hits copy the identity's name and external id: a report must still say who matched after
    /// the identity is removed from the watchlist.
    static let m0003Jobs = Migration(version: 3, name: "jobs", sql: """
        CREATE TABLE jobs (
            id            bigserial PRIMARY KEY,
            name          text NOT NULL,
            manifest_hash text NOT NULL,
            manifest      jsonb NOT NULL,
            base_dir      text NOT NULL,
            report_dir    text NOT NULL,
            status        text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'running', 'done', 'partial', 'failed')),
            runs          integer NOT NULL DEFAULT 0,
            created_at    timestamptz NOT NULL DEFAULT now(),
            started_at    timestamptz,
            finished_at   timestamptz,
            models        jsonb NOT NULL DEFAULT '[]',
            UNIQUE (name, manifest_hash)
        );

        CREATE TABLE job_inputs (
            job_id            bigint NOT NULL REFERENCES jobs ON DELETE CASCADE,
            ordinal           integer NOT NULL,
            path              text NOT NULL,
            sha256            text NOT NULL,
            size_bytes        bigint NOT NULL,
            modified_ns       bigint NOT NULL,
            camera            text,
            recorded_at       text,
            status            text NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'running', 'done', 'partial', 'failed')),
            error             text,
            lease_owner       text,
            lease_expires     timestamptz,
            heartbeat_at      timestamptz,
            checkpoint_ms     bigint,
            checkpoint_sample bigint,
            next_track_id     bigint NOT NULL DEFAULT 1,
            frame_width       integer NOT NULL DEFAULT 0,
            frame_height      integer NOT NULL DEFAULT 0,
            duration_ms       bigint,
            frames_sampled    bigint NOT NULL DEFAULT 0,
            faces             bigint NOT NULL DEFAULT 0,
            hits              bigint NOT NULL DEFAULT 0,
            damaged_frames    bigint NOT NULL DEFAULT 0,
            seconds           double precision NOT NULL DEFAULT 0,
            PRIMARY KEY (job_id, ordinal)
        );
        CREATE INDEX job_inputs_claimable ON job_inputs (job_id, status, lease_expires);

        CREATE TABLE job_detections (
            job_id          bigint NOT NULL,
            input_ordinal   integer NOT NULL,
            frame_index     bigint NOT NULL,
            sample_ordinal  bigint NOT NULL,
            pts_us          bigint NOT NULL,
            detection_index integer NOT NULL,
            box_x           double precision NOT NULL,
            box_y           double precision NOT NULL,
            box_w           double precision NOT NULL,
            box_h           double precision NOT NULL,
            score           double precision NOT NULL,
            track_id        bigint NOT NULL,
            embedding       real[] NOT NULL,
            PRIMARY KEY (job_id, input_ordinal, frame_index, detection_index),
            FOREIGN KEY (job_id, input_ordinal) REFERENCES job_inputs ON DELETE CASCADE
        );
        CREATE INDEX job_detections_sample ON job_detections (job_id, input_ordinal, sample_ordinal);

        CREATE TABLE job_hits (
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
            PRIMARY KEY (job_id, input_ordinal, frame_index, identity_id),
            FOREIGN KEY (job_id, input_ordinal, frame_index, detection_index) REFERENCES job_detections ON DELETE CASCADE
        );

        CREATE TABLE job_sightings (
            job_id        bigint NOT NULL REFERENCES jobs ON DELETE CASCADE,
            sighting_id   bigint NOT NULL,
            input_ordinal integer NOT NULL,
            track_id      bigint NOT NULL,
            identity_id   bigint NOT NULL,
            first_us      bigint NOT NULL,
            last_us       bigint NOT NULL,
            best_frame    bigint NOT NULL,
            best_distance double precision NOT NULL,
            hit_count     bigint NOT NULL,
            PRIMARY KEY (job_id, sighting_id)
        );

        CREATE TABLE sweep_ledger (
            sweep       text NOT NULL,
            path        text NOT NULL,
            size_bytes  bigint NOT NULL,
            modified_ns bigint NOT NULL,
            sha256      text NOT NULL,
            job_id      bigint REFERENCES jobs ON DELETE SET NULL,
            seen_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (sweep, path)
        );
        """)
}
