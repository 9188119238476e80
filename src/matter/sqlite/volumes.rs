//! The productions part of the SQLite store (split from `mod.rs` by
//! subject): Bates settings, volumes, what each volume accounted for, and the
//! rows written into it.

use super::now;
use crate::error::Error;
use crate::export::spill::Rows;
use crate::export::{IndexRow, PrivLogRow};
use crate::matter::store::{BatesSettings, RowKind, VolumeInfo, VolumeRecord};
use crate::model::{Decision, DocId, Earlier, EarlierDocs, SharedNames};
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn bates_settings(conn: &Connection) -> Result<Option<BatesSettings>, Error> {
    Ok(conn
        .query_row(
            "SELECT prefix, width, start FROM bates_settings WHERE id = 1",
            [],
            |r| {
                Ok(BatesSettings {
                    prefix: r.get(0)?,
                    width: r.get::<_, i64>(1)? as u32,
                    start: r.get::<_, i64>(2)? as u64,
                })
            },
        )
        .optional()?)
}

/// The highest Bates number ever issued in this matter.
pub(super) fn highest_bates(conn: &Connection) -> Result<Option<u64>, Error> {
    Ok(conn
        .query_row("SELECT MAX(last_bates) FROM volumes", [], |r| {
            r.get::<_, Option<i64>>(0)
        })?
        .map(|n| n as u64))
}

pub(super) fn next_log_id(conn: &Connection) -> Result<u64, Error> {
    Ok(conn.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(log_id) FROM volume_documents), 0),
                    COALESCE((SELECT MAX(log_id) FROM clawbacks), 0)) + 1",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

pub(super) fn volumes(conn: &Connection) -> Result<Vec<VolumeInfo>, Error> {
    let mut stmt = conn.prepare(
        "SELECT name, title, date, first_bates, last_bates, overlay_of FROM volumes ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(VolumeInfo {
            name: r.get(0)?,
            title: r.get(1)?,
            date: r.get(2)?,
            first_bates: r.get::<_, Option<i64>>(3)?.map(|n| n as u64),
            last_bates: r.get::<_, Option<i64>>(4)?.map(|n| n as u64),
            overlay_of: r
                .get::<_, Option<String>>(5)?
                .map(|json| serde_json::from_str(&json).unwrap_or_default()),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Documents already in a volume, with what planning compares against.
pub(super) fn earlier(conn: &Connection) -> Result<EarlierDocs, Error> {
    let mut stmt = conn.prepare(&format!(
        "SELECT vd.seq, v.name, d.sha256, d.custodian, vd.decision, COALESCE(vd.represented_by, vd.seq) {EARLIER}"
    ))?;
    let mut names = SharedNames::default();
    let rows = stmt.query_map([], |r| {
        let decision: String = r.get(4)?;
        let decision: Decision = serde_json::from_str(&decision).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
        })?;
        Ok((
            DocId(r.get::<_, i64>(0)? as u64),
            Earlier {
                volume: names.get(&r.get::<_, String>(1)?),
                sha256: r.get(2)?,
                custodian: names.get(&r.get::<_, String>(3)?),
                decision: decision.fingerprint(),
                represented_by: DocId(r.get::<_, i64>(5)? as u64),
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many documents [`earlier`] reads.
pub(super) fn earlier_count(conn: &Connection) -> Result<usize, Error> {
    let n: i64 = conn.query_row(
        &format!("SELECT COUNT(DISTINCT vd.seq) {EARLIER}"),
        [],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}

/// The documents already in a volume, with their volumes and sources.
const EARLIER: &str = "FROM volume_documents vd JOIN volumes v ON v.id = vd.volume_id JOIN documents d ON d.seq = vd.seq";

/// Records a produced volume: numbers, documents and rows, all or nothing.
pub(super) fn record_volume(
    conn: &mut Connection,
    v: &VolumeRecord,
    before_commit: &mut dyn FnMut() -> Result<(), Error>,
) -> Result<(), Error> {
    let tx = conn.transaction()?;
    // Checked inside the transaction that issues the numbers, so a second
    // writer (another process, another machine) can never issue them again.
    let taken = name_used(&tx, &v.name)?;
    let highest: Option<i64> =
        tx.query_row("SELECT MAX(last_bates) FROM volumes", [], |r| r.get(0))?;
    if let Some(conflict) =
        crate::matter::store::issue_conflict(v, taken, highest.map(|n| n as u64))
    {
        return Err(conflict);
    }
    tx.execute(
        "INSERT OR IGNORE INTO bates_settings (id, prefix, width, start) VALUES (1, ?1, ?2, ?3)",
        params![
            v.settings.prefix,
            v.settings.width as i64,
            v.settings.start as i64
        ],
    )?;
    tx.execute(
        "INSERT INTO volumes (name, title, date, first_bates, last_bates, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![v.name, v.title, v.date, v.first_bates.map(|n| n as i64), v.last_bates.map(|n| n as i64), now()],
    )?;
    let volume_id = tx.last_insert_rowid();
    {
        let mut doc = tx.prepare(
            "INSERT INTO volume_documents (volume_id, seq, treatment, beg_bates, end_bates, log_id, represented_by,
             produced_sha256, decision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for d in v.documents.read() {
            let d = d?;
            doc.execute(params![
                volume_id,
                d.id.0 as i64,
                d.treatment,
                d.beg.map(|n| n as i64),
                d.end.map(|n| n as i64),
                d.log_id.map(|n| n as i64),
                d.represented_by.map(|id| id.0 as i64),
                d.produced_sha256,
                serde_json::to_string(&d.decision).unwrap_or_default(),
            ])?;
        }
    }
    insert_rows(&tx, volume_id, &v.index_rows, &v.privlog_rows)?;
    before_commit()?;
    tx.commit()?;
    Ok(())
}

/// Whether a volume (or overlay) of this name is recorded.
pub(super) fn name_used(tx: &rusqlite::Transaction<'_>, name: &str) -> Result<bool, Error> {
    Ok(tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM volumes WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

/// The index and privilege-log rows written into a volume (or an overlay).
pub(super) fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    volume_id: i64,
    index: &Rows<IndexRow>,
    privlog: &Rows<PrivLogRow>,
) -> Result<(), Error> {
    let mut row =
        tx.prepare("INSERT INTO volume_rows (volume_id, kind, ord, data) VALUES (?1, ?2, ?3, ?4)")?;
    for (kind, rows) in [
        (RowKind::Index, index.frozen()),
        (RowKind::Privlog, privlog.frozen()),
    ] {
        for (i, data) in rows.enumerate() {
            row.execute(params![volume_id, kind.as_str(), i as i64, data?])?;
        }
    }
    Ok(())
}

/// Frozen rows of one volume (or all, in volume order), as stored JSON,
/// each handed to `each` as the statement steps to it.
pub(super) fn each_volume_row(
    conn: &Connection,
    volume: Option<&str>,
    kind: RowKind,
    each: &mut dyn FnMut(String) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut stmt = conn.prepare(
        "SELECT r.data FROM volume_rows r JOIN volumes v ON v.id = r.volume_id
         WHERE r.kind = ?1 AND (?2 IS NULL OR v.name = ?2) ORDER BY v.id, r.ord",
    )?;
    let mut rows = stmt.query(params![kind.as_str(), volume])?;
    while let Some(row) = rows.next()? {
        each(row.get::<_, String>(0)?)?;
    }
    Ok(())
}
