//! The documents part of the SQLite store (split from `mod.rs` by
//! subject): how a document's row is read, inserted and updated.

use crate::error::Error;
use crate::matter::store::NewDocument;
use crate::model::{DocId, Document, FileKind, Review, Source, Status};
use rusqlite::{Transaction, params};

/// Documents read in key order put in DOCID order (attachments after their
/// parent); a run already in order costs one pass to check.
pub(super) fn in_docid_order(mut docs: Vec<Document>) -> Vec<Document> {
    docs.sort_by_key(|d| d.id);
    docs
}

pub(super) const DOC_COLUMNS: &str = "seq, source_path, ingest_root, rel_path, custodian, size, mtime_ns, sha256, md5, kind, type_name, \
     page_count, problem, repaired, metadata, hidden, duplicate_of, ingested_at, updated_at, \
     status, description, confidentiality, redacted_sha256, redacted_pages, as_native, hidden_reviewed, \
     doc_date, doc_type, author, recipients, title, filename, first_reviewed_at, \
     (SELECT group_concat(category_id, char(31)) FROM (SELECT category_id FROM document_categories c \
        WHERE c.seq = documents.seq ORDER BY category_id)), \
     (SELECT group_concat(code, char(31)) FROM (SELECT code FROM document_privileges p \
        WHERE p.seq = documents.seq ORDER BY code))";

pub(super) fn read_document(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let json_err = |i: usize, e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let metadata: String = r.get(14)?;
    let hidden: String = r.get(15)?;
    let source = Source {
        source_path: r.get(1)?,
        ingest_root: r.get(2)?,
        rel_path: r.get(3)?,
        custodian: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        mtime_ns: r.get(6)?,
        sha256: r.get(7)?,
        md5: r.get(8)?,
        kind: FileKind::parse(&r.get::<_, String>(9)?),
        type_name: r.get(10)?,
        page_count: r.get::<_, Option<i64>>(11)?.map(|n| n as u64),
        problem: r.get(12)?,
        repaired: r.get(13)?,
        metadata: serde_json::from_str(&metadata).map_err(|e| json_err(14, e))?,
        hidden: serde_json::from_str(&hidden).map_err(|e| json_err(15, e))?,
        duplicate_of: r.get::<_, Option<i64>>(16)?.map(|n| DocId(n as u64)),
    };
    Ok(Document {
        id: DocId(r.get::<_, i64>(0)? as u64),
        source,
        ingested_at: r.get(17)?,
        updated_at: r.get(18)?,
        review: Review {
            status: Status::parse(&r.get::<_, String>(19)?).unwrap_or(Status::Unreviewed),
            description: r.get(20)?,
            confidentiality: r.get(21)?,
            redacted_sha256: r.get(22)?,
            redacted_pages: r.get::<_, Option<i64>>(23)?.map(|n| n as u64),
            as_native: r.get(24)?,
            hidden_reviewed: r.get(25)?,
            doc_date: r.get(26)?,
            doc_type: r.get(27)?,
            author: r.get(28)?,
            recipients: r.get(29)?,
            title: r.get(30)?,
            filename: r.get(31)?,
            first_reviewed_at: r.get(32)?,
            categories: split_list(r.get(33)?),
            privileges: split_list(r.get(34)?),
        },
    })
}

pub(super) fn split_list(joined: Option<String>) -> Vec<String> {
    joined
        .map(|s| s.split('\u{1f}').map(str::to_string).collect())
        .unwrap_or_default()
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising our own plain structs cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub(super) fn insert_documents(
    tx: &Transaction<'_>,
    docs: &[NewDocument],
    at: &str,
) -> Result<(), Error> {
    let mut stmt = tx.prepare(
        "INSERT INTO documents (seq, source_path, ingest_root, rel_path, custodian, size, mtime_ns, sha256, md5, kind,
         type_name, page_count, problem, repaired, metadata, hidden, duplicate_of, ingested_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)",
    )?;
    for d in docs {
        stmt.execute(params![
            d.id.0 as i64,
            d.source.source_path,
            d.source.ingest_root,
            d.source.rel_path,
            d.source.custodian,
            d.source.size as i64,
            d.source.mtime_ns,
            d.source.sha256,
            d.source.md5,
            d.source.kind.as_str(),
            d.source.type_name,
            d.source.page_count.map(|n| n as i64),
            d.source.problem,
            d.source.repaired,
            to_json(&d.source.metadata),
            to_json(&d.source.hidden),
            d.source.duplicate_of.map(|id| id.0 as i64),
            at,
        ])?;
    }
    Ok(())
}

/// Replaces a changed source's content facts (`ingest --update`), with
/// history. The review decided on the old bytes is not a decision on the
/// new: the document goes back to `unreviewed` and any confirmation of its
/// hidden content is withdrawn, so nothing goes out until it is tagged again.
pub(super) fn update_document(
    tx: &Transaction<'_>,
    d: &NewDocument,
    at: &str,
    actor: &str,
) -> Result<(), Error> {
    let old: (String, i64, String, bool) = tx.query_row(
        "SELECT sha256, size, status, hidden_reviewed FROM documents WHERE seq = ?1",
        [d.id.0 as i64],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    tx.execute(
        "UPDATE documents SET size = ?2, mtime_ns = ?3, sha256 = ?4, md5 = ?5, kind = ?6, type_name = ?7, page_count = ?8,
         problem = ?9, repaired = ?10, metadata = ?11, hidden = ?12, duplicate_of = ?13, updated_at = ?14,
         status = 'unreviewed', hidden_reviewed = 0 WHERE seq = ?1",
        params![
            d.id.0 as i64,
            d.source.size as i64,
            d.source.mtime_ns,
            d.source.sha256,
            d.source.md5,
            d.source.kind.as_str(),
            d.source.type_name,
            d.source.page_count.map(|n| n as i64),
            d.source.problem,
            d.source.repaired,
            to_json(&d.source.metadata),
            to_json(&d.source.hidden),
            d.source.duplicate_of.map(|id| id.0 as i64),
            at,
        ],
    )?;
    let mut hist = tx.prepare("INSERT INTO history (seq, at, actor, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    hist.execute(params![
        d.id.0 as i64,
        at,
        actor,
        "source sha256",
        old.0,
        d.source.sha256
    ])?;
    hist.execute(params![
        d.id.0 as i64,
        at,
        actor,
        "source size",
        old.1.to_string(),
        d.source.size.to_string()
    ])?;
    for (field, before, after) in super::super::store::review_reset(&old.2, old.3) {
        hist.execute(params![d.id.0 as i64, at, actor, field, before, after])?;
    }
    Ok(())
}
