-- A document's notes are looked up by document (tag skips a note already
-- there; show lists them).
CREATE INDEX notes_seq ON notes(seq);
