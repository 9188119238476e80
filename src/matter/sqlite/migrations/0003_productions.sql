-- Bates settings, frozen by the first produce.
CREATE TABLE bates_settings (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    prefix TEXT NOT NULL,
    width  INTEGER NOT NULL,
    start  INTEGER NOT NULL
);

-- Volumes, in creation order. A row exists only for a committed volume.
CREATE TABLE volumes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    date        TEXT NOT NULL,
    first_bates INTEGER,
    last_bates  INTEGER,
    created_at  TEXT NOT NULL
);

-- Every document a volume accounted for: produced, withheld, or an exact
-- duplicate not produced separately (represented by another document).
CREATE TABLE volume_documents (
    volume_id       INTEGER NOT NULL REFERENCES volumes(id),
    seq             INTEGER NOT NULL UNIQUE REFERENCES documents(seq),
    treatment       TEXT NOT NULL,
    beg_bates       INTEGER,
    end_bates       INTEGER,
    log_id          INTEGER UNIQUE,
    represented_by  INTEGER REFERENCES documents(seq),
    produced_sha256 TEXT,
    -- What was decided, to compare later copies against.
    decision        TEXT NOT NULL
);
CREATE INDEX volume_documents_volume ON volume_documents(volume_id);

-- The index and privilege-log rows exactly as written into the volume.
CREATE TABLE volume_rows (
    volume_id INTEGER NOT NULL REFERENCES volumes(id),
    kind      TEXT NOT NULL CHECK (kind IN ('index', 'privlog')),
    ord       INTEGER NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (volume_id, kind, ord)
);
