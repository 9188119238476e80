-- Reviewer decisions. NULL in an override column means "not set by a
-- reviewer": the value extracted at ingest applies.
ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'unreviewed';
ALTER TABLE documents ADD COLUMN description TEXT;
ALTER TABLE documents ADD COLUMN confidentiality TEXT;
ALTER TABLE documents ADD COLUMN redacted_sha256 TEXT;
ALTER TABLE documents ADD COLUMN redacted_pages INTEGER;
ALTER TABLE documents ADD COLUMN as_native INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN hidden_reviewed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN doc_date TEXT;
ALTER TABLE documents ADD COLUMN doc_type TEXT;
ALTER TABLE documents ADD COLUMN author TEXT;
ALTER TABLE documents ADD COLUMN recipients TEXT;
ALTER TABLE documents ADD COLUMN title TEXT;
ALTER TABLE documents ADD COLUMN filename TEXT;
-- When the status first left 'unreviewed' (for the review pace).
ALTER TABLE documents ADD COLUMN first_reviewed_at TEXT;
CREATE INDEX documents_status ON documents(status);

CREATE TABLE document_categories (
    seq         INTEGER NOT NULL REFERENCES documents(seq),
    category_id TEXT NOT NULL,
    PRIMARY KEY (seq, category_id)
);

CREATE TABLE document_privileges (
    seq  INTEGER NOT NULL REFERENCES documents(seq),
    code TEXT NOT NULL,
    PRIMARY KEY (seq, code)
);

CREATE TABLE notes (
    id    INTEGER PRIMARY KEY,
    seq   INTEGER NOT NULL REFERENCES documents(seq),
    at    TEXT NOT NULL,
    actor TEXT NOT NULL,
    text  TEXT NOT NULL
);
