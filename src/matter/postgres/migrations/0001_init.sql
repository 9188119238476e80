-- The matter's state on a shared PostgreSQL server: the same tables, columns
-- and meanings as the embedded SQLite schema (src/matter/sqlite/migrations),
-- written for PostgreSQL. Append-only: add 0002_… rather than edit this.

CREATE TABLE documents (
    seq               BIGINT PRIMARY KEY,
    source_path       TEXT NOT NULL UNIQUE,
    ingest_root       TEXT NOT NULL,
    rel_path          TEXT NOT NULL,
    custodian         TEXT NOT NULL DEFAULT '',
    size              BIGINT NOT NULL,
    mtime_ns          BIGINT NOT NULL,
    sha256            TEXT NOT NULL,
    md5               TEXT NOT NULL,
    kind              TEXT NOT NULL,
    type_name         TEXT NOT NULL,
    page_count        BIGINT,
    problem           TEXT,
    repaired          TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}',
    hidden            TEXT NOT NULL DEFAULT '[]',
    duplicate_of      BIGINT REFERENCES documents(seq),
    ingested_at       TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'unreviewed',
    description       TEXT,
    confidentiality   TEXT,
    redacted_sha256   TEXT,
    redacted_pages    BIGINT,
    as_native         BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reviewed   BOOLEAN NOT NULL DEFAULT FALSE,
    doc_date          TEXT,
    doc_type          TEXT,
    author            TEXT,
    recipients        TEXT,
    title             TEXT,
    filename          TEXT,
    first_reviewed_at TEXT
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_status ON documents(status);

CREATE TABLE ingest_failures (
    source_path TEXT PRIMARY KEY,
    ingest_root TEXT NOT NULL,
    rel_path    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL
);

CREATE TABLE history (
    id        BIGSERIAL PRIMARY KEY,
    seq       BIGINT NOT NULL REFERENCES documents(seq),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX history_seq ON history(seq);

CREATE TABLE document_categories (
    seq         BIGINT NOT NULL REFERENCES documents(seq),
    category_id TEXT NOT NULL,
    PRIMARY KEY (seq, category_id)
);

CREATE TABLE document_privileges (
    seq  BIGINT NOT NULL REFERENCES documents(seq),
    code TEXT NOT NULL,
    PRIMARY KEY (seq, code)
);

CREATE TABLE notes (
    id    BIGSERIAL PRIMARY KEY,
    seq   BIGINT NOT NULL REFERENCES documents(seq),
    at    TEXT NOT NULL,
    actor TEXT NOT NULL,
    text  TEXT NOT NULL
);

CREATE TABLE bates_settings (
    id     BIGINT PRIMARY KEY CHECK (id = 1),
    prefix TEXT NOT NULL,
    width  BIGINT NOT NULL,
    start  BIGINT NOT NULL
);

CREATE TABLE volumes (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    date        TEXT NOT NULL,
    first_bates BIGINT,
    last_bates  BIGINT,
    created_at  TEXT NOT NULL
);

CREATE TABLE volume_documents (
    volume_id       BIGINT NOT NULL REFERENCES volumes(id),
    seq             BIGINT NOT NULL UNIQUE REFERENCES documents(seq),
    treatment       TEXT NOT NULL,
    beg_bates       BIGINT,
    end_bates       BIGINT,
    log_id          BIGINT UNIQUE,
    represented_by  BIGINT REFERENCES documents(seq),
    produced_sha256 TEXT,
    decision        TEXT NOT NULL
);
CREATE INDEX volume_documents_volume ON volume_documents(volume_id);

CREATE TABLE volume_rows (
    volume_id BIGINT NOT NULL REFERENCES volumes(id),
    kind      TEXT NOT NULL CHECK (kind IN ('index', 'privlog')),
    ord       BIGINT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (volume_id, kind, ord)
);

-- Who holds the matter's exclusive writer lock (a PostgreSQL advisory lock),
-- so a second writer can be told: user, host, command, since when.
CREATE TABLE writer_lock (
    id     BIGINT PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    since  TEXT NOT NULL
);
