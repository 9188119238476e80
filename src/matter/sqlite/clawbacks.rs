//! The clawback part of the SQLite store: recall requests, written with the
//! review changes they make, and overlay volumes.

use super::now;
use crate::error::Error;
use crate::matter::clawbacks::{
    Clawback, NewClawback, OverlayRecord, Replacement, already_recalled, already_replaced,
    stored_codes,
};
use crate::matter::store::ReviewUpdate;
use crate::model::DocId;
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn record_clawbacks(
    conn: &mut Connection,
    at: &str,
    updates: &[ReviewUpdate],
    requests: &[NewClawback],
) -> Result<(), Error> {
    let tx = conn.transaction()?;
    // Checked in the transaction that records: a second clawback of the same
    // document (another process) waits for this one and is then refused.
    for r in requests {
        let open: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM clawbacks WHERE seq = ?1 AND overlay IS NULL)",
            [r.docid.0 as i64],
            |row| row.get(0),
        )?;
        if open {
            return Err(already_recalled(r.docid));
        }
    }
    super::review::apply(&tx, at, updates)?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO clawbacks (seq, volume, beg_bates, end_bates, requested_on, at, actor, privileges,
             description, reason, replacement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for r in requests {
            insert.execute(params![
                r.docid.0 as i64,
                r.volume,
                r.beg as i64,
                r.end as i64,
                r.requested_on,
                at,
                r.actor,
                r.privileges.join("; "),
                r.description,
                r.reason,
                r.replacement.label(),
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn clawbacks(conn: &Connection) -> Result<Vec<Clawback>, Error> {
    let mut stmt = conn.prepare(
        "SELECT id, seq, volume, beg_bates, end_bates, requested_on, at, actor, privileges, description,
         reason, replacement, overlay, log_id FROM clawbacks ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let privileges: String = r.get(8)?;
        let replacement: String = r.get(11)?;
        Ok(Clawback {
            id: r.get::<_, i64>(0)? as u64,
            request: NewClawback {
                docid: DocId(r.get::<_, i64>(1)? as u64),
                volume: r.get(2)?,
                beg: r.get::<_, i64>(3)? as u64,
                end: r.get::<_, i64>(4)? as u64,
                requested_on: r.get(5)?,
                actor: r.get(7)?,
                privileges: stored_codes(&privileges),
                description: r.get(9)?,
                reason: r.get(10)?,
                replacement: Replacement::parse(&replacement).unwrap_or(Replacement::Withheld),
            },
            at: r.get(6)?,
            overlay: r.get(12)?,
            log_id: r.get::<_, Option<i64>>(13)?.map(|n| n as u64),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn record_overlay(
    conn: &mut Connection,
    v: &OverlayRecord,
    before_commit: &mut dyn FnMut() -> Result<(), Error>,
) -> Result<(), Error> {
    let tx = conn.transaction()?;
    if super::volumes::name_used(&tx, &v.name)? {
        return Err(crate::matter::store::name_taken(&v.name));
    }
    for (id, _) in &v.replaced {
        let overlay: Option<Option<String>> = tx
            .query_row(
                "SELECT overlay FROM clawbacks WHERE id = ?1",
                [*id as i64],
                |r| r.get(0),
            )
            .optional()?;
        match overlay {
            Some(Some(other)) => return Err(already_replaced(*id, &other)),
            Some(None) => {}
            None => {
                return Err(Error::internal(format!(
                    "clawback {id} vanished from the database"
                )));
            }
        }
    }
    tx.execute(
        "INSERT INTO volumes (name, title, date, first_bates, last_bates, created_at, overlay_of)
         VALUES (?1, ?2, ?3, NULL, NULL, ?4, ?5)",
        params![
            v.name,
            v.title,
            v.date,
            now(),
            serde_json::to_string(&v.overlay_of).unwrap_or_default()
        ],
    )?;
    let volume_id = tx.last_insert_rowid();
    {
        let mut mark =
            tx.prepare("UPDATE clawbacks SET overlay = ?1, log_id = ?2 WHERE id = ?3")?;
        for (id, log_id) in &v.replaced {
            mark.execute(params![v.name, *log_id as i64, *id as i64])?;
        }
    }
    super::volumes::insert_rows(&tx, volume_id, &v.index_rows, &v.privlog_rows)?;
    before_commit()?;
    tx.commit()?;
    Ok(())
}
