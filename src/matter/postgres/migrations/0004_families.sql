-- E-mail attachments become child documents (DOCIDs DOC-000005.0001, keys
-- with bit 62 set: see model::DocId). E-mails ingested before this change
-- are marked for re-reading, so the next ingest of their paths adds their
-- attachments; nothing else about them changes.
UPDATE documents SET mtime_ns = -1 WHERE kind = 'email';
