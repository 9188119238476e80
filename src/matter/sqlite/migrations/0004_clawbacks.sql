-- An overlay volume re-issues the numbers of recalled documents; it names
-- the volumes it replaces rows of (JSON array) and takes no new numbers.
ALTER TABLE volumes ADD COLUMN overlay_of TEXT;

-- Recall requests (Rule 26(b)(5)(B), FRE 502) and the overlay that replaced
-- each one. One outstanding request per document, whatever runs at once.
CREATE TABLE clawbacks (
    id           INTEGER PRIMARY KEY,
    seq          INTEGER NOT NULL REFERENCES documents(seq),
    volume       TEXT NOT NULL,
    beg_bates    INTEGER NOT NULL,
    end_bates    INTEGER NOT NULL,
    requested_on TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    privileges   TEXT NOT NULL,
    description  TEXT NOT NULL,
    reason       TEXT,
    replacement  TEXT NOT NULL CHECK (replacement IN ('Withheld', 'Redacted')),
    overlay      TEXT,
    log_id       INTEGER UNIQUE
);
CREATE UNIQUE INDEX clawbacks_outstanding ON clawbacks(seq) WHERE overlay IS NULL;
