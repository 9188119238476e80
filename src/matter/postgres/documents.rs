//! Documents as rows: the column list every read uses, reading a row back,
//! and writing new and updated documents (new ones as arrays, a chunk per
//! statement).

use super::*;

pub(super) const DOC_COLUMNS: &str = "seq, source_path, ingest_root, rel_path, custodian, size, mtime_ns, sha256, md5, kind, type_name, \
     page_count, problem, repaired, metadata, hidden, duplicate_of, ingested_at, updated_at, \
     status, description, confidentiality, redacted_sha256, redacted_pages, as_native, hidden_reviewed, \
     doc_date, doc_type, author, recipients, title, filename, first_reviewed_at, \
     (SELECT string_agg(category_id, chr(31) ORDER BY category_id) FROM document_categories c WHERE c.seq = documents.seq), \
     (SELECT string_agg(code, chr(31) ORDER BY code) FROM document_privileges p WHERE p.seq = documents.seq)";

pub(super) fn read_document(r: &Row) -> Result<Document, Error> {
    let json = |i: usize| -> Result<String, Error> { Ok(r.try_get::<_, String>(i)?) };
    let bad = |e: serde_json::Error| {
        Error::internal(format!("a stored document does not read back: {e}"))
    };
    let u = |v: Option<i64>| v.map(|n| n as u64);
    let list = |v: Option<String>| -> Vec<String> {
        v.map(|s| s.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default()
    };
    let source = Source {
        source_path: r.try_get(1)?,
        ingest_root: r.try_get(2)?,
        rel_path: r.try_get(3)?,
        custodian: r.try_get(4)?,
        size: r.try_get::<_, i64>(5)? as u64,
        mtime_ns: r.try_get(6)?,
        sha256: r.try_get(7)?,
        md5: r.try_get(8)?,
        kind: FileKind::parse(&r.try_get::<_, String>(9)?),
        type_name: r.try_get(10)?,
        page_count: u(r.try_get(11)?),
        problem: r.try_get(12)?,
        repaired: r.try_get(13)?,
        metadata: serde_json::from_str(&json(14)?).map_err(bad)?,
        hidden: serde_json::from_str(&json(15)?).map_err(bad)?,
        duplicate_of: u(r.try_get(16)?).map(DocId),
    };
    Ok(Document {
        id: DocId(r.try_get::<_, i64>(0)? as u64),
        source,
        ingested_at: r.try_get(17)?,
        updated_at: r.try_get(18)?,
        review: Review {
            status: Status::parse(&r.try_get::<_, String>(19)?).unwrap_or(Status::Unreviewed),
            description: r.try_get(20)?,
            confidentiality: r.try_get(21)?,
            redacted_sha256: r.try_get(22)?,
            redacted_pages: u(r.try_get(23)?),
            as_native: r.try_get(24)?,
            hidden_reviewed: r.try_get(25)?,
            doc_date: r.try_get(26)?,
            doc_type: r.try_get(27)?,
            author: r.try_get(28)?,
            recipients: r.try_get(29)?,
            title: r.try_get(30)?,
            filename: r.try_get(31)?,
            first_reviewed_at: r.try_get(32)?,
            categories: list(r.try_get(33)?),
            privileges: list(r.try_get(34)?),
        },
    })
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// A cell as a PostgreSQL parameter of the column's type.
pub(super) fn param(cell: &Cell, kind: Kind) -> Box<dyn ToSql + Sync> {
    match (cell, kind) {
        (Cell::Null, Kind::Int) => Box::new(None::<i64>),
        (Cell::Null, Kind::Bool) => Box::new(None::<bool>),
        (Cell::Null, Kind::Text) => Box::new(None::<String>),
        (Cell::Int(n), Kind::Bool) => Box::new(*n != 0),
        (Cell::Int(n), _) => Box::new(*n),
        (Cell::Bool(b), Kind::Int) => Box::new(*b as i64),
        (Cell::Bool(b), _) => Box::new(*b),
        (Cell::Text(t), _) => Box::new(t.clone()),
    }
}

pub(super) fn cell(row: &Row, i: usize, kind: Kind) -> Result<Cell, Error> {
    Ok(match kind {
        Kind::Int => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Cell::Null, Cell::Int),
        Kind::Bool => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Cell::Null, Cell::Bool),
        Kind::Text => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Cell::Null, Cell::Text),
    })
}

/// New documents in one statement per chunk: each column travels as an
/// array (row by row, 20,000 files took 7 s of round trips).
pub(super) fn insert_documents(
    tx: &mut Transaction<'_>,
    docs: &[NewDocument],
    at: &str,
) -> Result<(), Error> {
    let col = |f: &dyn Fn(&NewDocument) -> String| docs.iter().map(f).collect::<Vec<String>>();
    let seq: Vec<i64> = docs.iter().map(|d| d.id.0 as i64).collect();
    let size: Vec<i64> = docs.iter().map(|d| d.source.size as i64).collect();
    let mtime: Vec<i64> = docs.iter().map(|d| d.source.mtime_ns).collect();
    let pages: Vec<Option<i64>> = docs
        .iter()
        .map(|d| d.source.page_count.map(|n| n as i64))
        .collect();
    let problem: Vec<Option<String>> = docs.iter().map(|d| d.source.problem.clone()).collect();
    let repaired: Vec<Option<String>> = docs.iter().map(|d| d.source.repaired.clone()).collect();
    let duplicate: Vec<Option<i64>> = docs
        .iter()
        .map(|d| d.source.duplicate_of.map(|id| id.0 as i64))
        .collect();
    tx.execute(
        "INSERT INTO documents (seq, source_path, ingest_root, rel_path, custodian, size, mtime_ns, sha256, md5, kind,
         type_name, page_count, problem, repaired, metadata, hidden, duplicate_of, ingested_at, updated_at)
         SELECT v.*, $18, $18 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
              $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[], $14::text[],
              $15::text[], $16::text[], $17::bigint[]) AS v
         ORDER BY 1",
        &[
            &seq,
            &col(&|d| d.source.source_path.clone()),
            &col(&|d| d.source.ingest_root.clone()),
            &col(&|d| d.source.rel_path.clone()),
            &col(&|d| d.source.custodian.clone()),
            &size,
            &mtime,
            &col(&|d| d.source.sha256.clone()),
            &col(&|d| d.source.md5.clone()),
            &col(&|d| d.source.kind.as_str().to_string()),
            &col(&|d| d.source.type_name.clone()),
            &pages,
            &problem,
            &repaired,
            &col(&|d| to_json(&d.source.metadata)),
            &col(&|d| to_json(&d.source.hidden)),
            &duplicate,
            &at,
        ],
    )?;
    Ok(())
}

pub(super) fn update_document(
    tx: &mut Transaction<'_>,
    d: &NewDocument,
    at: &str,
    actor: &str,
) -> Result<(), Error> {
    let s = &d.source;
    let seq = d.id.0 as i64;
    let old = tx.query_one(
        "SELECT sha256, size, status, hidden_reviewed FROM documents WHERE seq = $1 FOR UPDATE",
        &[&seq],
    )?;
    let (old_sha, old_size): (String, i64) = (old.get(0), old.get(1));
    let (old_status, old_hidden): (String, bool) = (old.try_get(2)?, old.try_get(3)?);
    // The review was of the old bytes (see the SQLite store).
    tx.execute(
        "UPDATE documents SET size = $2, mtime_ns = $3, sha256 = $4, md5 = $5, kind = $6, type_name = $7, page_count = $8,
         problem = $9, repaired = $10, metadata = $11, hidden = $12, duplicate_of = $13, updated_at = $14,
         status = 'unreviewed', hidden_reviewed = FALSE WHERE seq = $1",
        &[
            &seq,
            &(s.size as i64),
            &s.mtime_ns,
            &s.sha256,
            &s.md5,
            &s.kind.as_str(),
            &s.type_name,
            &s.page_count.map(|n| n as i64),
            &s.problem,
            &s.repaired,
            &to_json(&s.metadata),
            &to_json(&s.hidden),
            &s.duplicate_of.map(|id| id.0 as i64),
            &at,
        ],
    )?;
    let history = "INSERT INTO history (seq, at, actor, field, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)";
    tx.execute(
        history,
        &[&seq, &at, &actor, &"source sha256", &old_sha, &s.sha256],
    )?;
    tx.execute(
        history,
        &[
            &seq,
            &at,
            &actor,
            &"source size",
            &old_size.to_string(),
            &s.size.to_string(),
        ],
    )?;
    for (field, before, after) in super::super::store::review_reset(&old_status, old_hidden) {
        tx.execute(history, &[&seq, &at, &actor, &field, &before, &after])?;
    }
    Ok(())
}
