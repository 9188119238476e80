-- Documents ingested into the matter. A document's identity is its source's
-- canonical absolute path; seq is the number in its DOCID (DOC-000001).
CREATE TABLE documents (
    seq          INTEGER PRIMARY KEY,
    source_path  TEXT NOT NULL UNIQUE,
    ingest_root  TEXT NOT NULL,
    rel_path     TEXT NOT NULL,
    custodian    TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    mtime_ns     INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    md5          TEXT NOT NULL,
    kind         TEXT NOT NULL,
    type_name    TEXT NOT NULL,
    page_count   INTEGER,
    problem      TEXT,
    repaired     TEXT,
    metadata     TEXT NOT NULL DEFAULT '{}',
    hidden       TEXT NOT NULL DEFAULT '[]',
    duplicate_of INTEGER REFERENCES documents(seq),
    ingested_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX documents_sha256 ON documents(sha256);

-- Files that could not be read: no DOCID, retried by the next ingest.
CREATE TABLE ingest_failures (
    source_path TEXT PRIMARY KEY,
    ingest_root TEXT NOT NULL,
    rel_path    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL
);

-- Every change to a document: who, when, which field, old and new value.
CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    seq       INTEGER NOT NULL REFERENCES documents(seq),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX history_seq ON history(seq);
