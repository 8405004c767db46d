import Postgres

extension Migration {
    /// The watchlist: identities, their enrolled images and faces, compact embeddings, tombstones and
    /// the ANN index persisted as segments. Every embedding-bearing row carries its model, and every
    /// query filters on (watchlist, model), so vectors of different models or weights never meet.
    static let m0002Watchlist = Migration(version: 2, name: "watchlist", sql: """
        CREATE TABLE watchlists (
            id         bigserial PRIMARY KEY,
            name       text NOT NULL UNIQUE CHECK (name <> ''),
            created_at timestamptz NOT NULL DEFAULT now()
        );

        -- A model is its name plus the SHA-256 of its weights: new weights are a new model.
        CREATE TABLE embedding_models (
            id             serial PRIMARY KEY,
            name           text NOT NULL,
            weights_sha256 text NOT NULL CHECK (weights_sha256 ~ '^[0-9a-f]{64}$'),
            dimension      integer NOT NULL CHECK (dimension > 0),
            metric         text NOT NULL CHECK (metric IN ('euclidean', 'cosine')),
            UNIQUE (name, weights_sha256)
        );

        CREATE TABLE identities (
            id           bigserial PRIMARY KEY,
            watchlist_id bigint NOT NULL REFERENCES watchlists ON DELETE CASCADE,
            name         text NOT NULL CHECK (name <> ''),
            external_id  text,
            metadata     jsonb NOT NULL DEFAULT '{}',
            created_at   timestamptz NOT NULL DEFAULT now(),
            removed_at   timestamptz
        );
        CREATE UNIQUE INDEX identities_live_name ON identities (watchlist_id, name) WHERE removed_at IS NULL;

        -- One row per image enrolled for a model: the dedup key. A removed image may be enrolled again.
        CREATE TABLE enrolled_images (
            id           bigserial PRIMARY KEY,
            watchlist_id bigint NOT NULL REFERENCES watchlists ON DELETE CASCADE,
            model_id     integer NOT NULL REFERENCES embedding_models,
            identity_id  bigint NOT NULL REFERENCES identities ON DELETE CASCADE,
            image_sha256 text NOT NULL CHECK (image_sha256 ~ '^[0-9a-f]{64}$'),
            source_path  text NOT NULL,
            width        integer NOT NULL,
            height       integer NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            removed_at   timestamptz
        );
        CREATE UNIQUE INDEX enrolled_images_dedup ON enrolled_images (watchlist_id, image_sha256, model_id)
            WHERE removed_at IS NULL;

        -- watchlist_id and model_id on faces and embeddings copy those of the image (written
        -- together by the repository); they carry no foreign key of their own because every key
        -- check is a trigger call per bulk-loaded row, and the image's keys already hold.
        CREATE TABLE faces (
            id              bigserial PRIMARY KEY,
            watchlist_id    bigint NOT NULL,
            identity_id     bigint NOT NULL REFERENCES identities ON DELETE CASCADE,
            image_id        bigint NOT NULL REFERENCES enrolled_images ON DELETE CASCADE,
            model_id        integer NOT NULL,
            box             real[] NOT NULL CHECK (cardinality(box) = 4),
            landmarks       real[] NOT NULL,
            detection_score real NOT NULL,
            created_at      timestamptz NOT NULL DEFAULT now(),
            removed_at      timestamptz
        );
        CREATE INDEX faces_identity ON faces (identity_id);
        CREATE INDEX faces_image ON faces (image_id);

        -- Little-endian float32s, 4 × dimension bytes (stored inline, never compressed). Ids grow in commit order per (watchlist,
        -- model) because registration and index builds share an advisory lock (see the repository).
        CREATE TABLE embeddings (
            id           bigserial PRIMARY KEY,
            face_id      bigint NOT NULL UNIQUE REFERENCES faces ON DELETE CASCADE,
            watchlist_id bigint NOT NULL,
            model_id     integer NOT NULL,
            vector       bytea NOT NULL CHECK (length(vector) > 0 AND length(vector) % 4 = 0)
        );
        ALTER TABLE embeddings ALTER COLUMN vector SET STORAGE PLAIN;
        CREATE INDEX embeddings_scope ON embeddings (watchlist_id, model_id, id);

        CREATE TABLE tombstones (
            embedding_id bigint PRIMARY KEY REFERENCES embeddings ON DELETE CASCADE,
            watchlist_id bigint NOT NULL REFERENCES watchlists ON DELETE CASCADE,
            model_id     integer NOT NULL REFERENCES embedding_models,
            face_id      bigint NOT NULL REFERENCES faces ON DELETE CASCADE,
            audit_id     bigint REFERENCES audit_log,
            removed_at   timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX tombstones_scope ON tombstones (watchlist_id, model_id, embedding_id);

        -- The ANN index: FAISS bytes per contiguous embedding-id range, one row per sealed segment.
        CREATE TABLE index_segments (
            watchlist_id        bigint NOT NULL REFERENCES watchlists ON DELETE CASCADE,
            model_id            integer NOT NULL REFERENCES embedding_models,
            first_id            bigint NOT NULL,
            last_id             bigint NOT NULL,
            vector_count        integer NOT NULL CHECK (vector_count >= 0),
            factory             text NOT NULL,
            requested_factory   text NOT NULL,
            metric              text NOT NULL,
            dimension           integer NOT NULL,
            excluded_tombstones integer NOT NULL DEFAULT 0,
            bytes               bytea NOT NULL,
            sealed_at           timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (watchlist_id, model_id, first_id),
            CHECK (first_id <= last_id)
        );
        -- FAISS bytes are mostly float32s: compressing them costs time and saves little.
        ALTER TABLE index_segments ALTER COLUMN bytes SET STORAGE EXTERNAL;

        -- Per (watchlist, model): counters kept in the transactions that change embeddings,
        -- tombstones and segments, so a search cache checks freshness with one primary-key read;
        -- and what the last index build did.
        CREATE TABLE index_state (
            watchlist_id      bigint NOT NULL REFERENCES watchlists ON DELETE CASCADE,
            model_id          integer NOT NULL REFERENCES embedding_models,
            embedding_count   bigint NOT NULL DEFAULT 0,
            max_embedding_id  bigint NOT NULL DEFAULT 0,
            tombstone_count   bigint NOT NULL DEFAULT 0,
            generation        bigint NOT NULL DEFAULT 0,
            factory           text,
            build_status      text,
            build_started_at  timestamptz,
            build_finished_at timestamptz,
            build_batches     integer NOT NULL DEFAULT 0,
            build_added       bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (watchlist_id, model_id)
        );
        """)
}
