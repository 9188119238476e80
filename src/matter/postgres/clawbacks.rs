//! The clawback part of the PostgreSQL store: recall requests, written with
//! the review changes they make, and overlay volumes.

use super::{PgStore, now};
use crate::error::Error;
use crate::matter::clawbacks::{
    Clawback, NewClawback, OverlayRecord, Replacement, already_recalled, already_replaced,
    stored_codes,
};
use crate::matter::store::{ReviewUpdate, name_taken};
use crate::model::DocId;
use postgres::Client;

pub(super) fn record_clawbacks(
    client: &mut Client,
    at: &str,
    updates: &[ReviewUpdate],
    requests: &[NewClawback],
) -> Result<(), Error> {
    let mut tx = client.transaction()?;
    // One recorder at a time: the check below is then the truth at commit.
    tx.batch_execute("LOCK TABLE clawbacks IN EXCLUSIVE MODE")?;
    for r in requests {
        let open: bool = tx
            .query_one(
                "SELECT EXISTS(SELECT 1 FROM clawbacks WHERE seq = $1 AND overlay IS NULL)",
                &[&(r.docid.0 as i64)],
            )?
            .get(0);
        if open {
            return Err(already_recalled(r.docid));
        }
    }
    super::review::apply(&mut tx, at, updates)?;
    let insert = tx.prepare(
        "INSERT INTO clawbacks (seq, volume, beg_bates, end_bates, requested_on, at, actor, privileges,
         description, reason, replacement) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )?;
    for r in requests {
        tx.execute(
            &insert,
            &[
                &(r.docid.0 as i64),
                &r.volume,
                &(r.beg as i64),
                &(r.end as i64),
                &r.requested_on,
                &at,
                &r.actor,
                &r.privileges.join("; "),
                &r.description,
                &r.reason,
                &r.replacement.label(),
            ],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn clawbacks(store: &PgStore) -> Result<Vec<Clawback>, Error> {
    let rows = store.rows(
        "SELECT id, seq, volume, beg_bates, end_bates, requested_on, at, actor, privileges, description,
         reason, replacement, overlay, log_id FROM clawbacks ORDER BY id",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            let privileges: String = r.try_get(8)?;
            let replacement: String = r.try_get(11)?;
            Ok(Clawback {
                id: r.try_get::<_, i64>(0)? as u64,
                request: NewClawback {
                    docid: DocId(r.try_get::<_, i64>(1)? as u64),
                    volume: r.try_get(2)?,
                    beg: r.try_get::<_, i64>(3)? as u64,
                    end: r.try_get::<_, i64>(4)? as u64,
                    requested_on: r.try_get(5)?,
                    actor: r.try_get(7)?,
                    privileges: stored_codes(&privileges),
                    description: r.try_get(9)?,
                    reason: r.try_get(10)?,
                    replacement: Replacement::parse(&replacement).unwrap_or(Replacement::Withheld),
                },
                at: r.try_get(6)?,
                overlay: r.try_get(12)?,
                log_id: r.try_get::<_, Option<i64>>(13)?.map(|n| n as u64),
            })
        })
        .collect()
}

pub(super) fn record_overlay(
    client: &mut Client,
    v: &OverlayRecord,
    before_commit: &mut dyn FnMut() -> Result<(), Error>,
) -> Result<(), Error> {
    let mut tx = client.transaction()?;
    // Volumes are recorded one at a time across every machine, overlays too.
    tx.batch_execute("LOCK TABLE volumes IN EXCLUSIVE MODE")?;
    if super::volumes::name_used(&mut tx, &v.name)? {
        return Err(name_taken(&v.name));
    }
    for (id, _) in &v.replaced {
        let row = tx.query_opt(
            "SELECT overlay FROM clawbacks WHERE id = $1 FOR UPDATE",
            &[&(*id as i64)],
        )?;
        match row.map(|r| r.get::<_, Option<String>>(0)) {
            Some(Some(other)) => return Err(already_replaced(*id, &other)),
            Some(None) => {}
            None => {
                return Err(Error::internal(format!(
                    "clawback {id} vanished from the database"
                )));
            }
        }
    }
    let volume_id: i64 = tx
        .query_one(
            "INSERT INTO volumes (name, title, date, first_bates, last_bates, created_at, overlay_of)
             VALUES ($1, $2, $3, NULL, NULL, $4, $5) RETURNING id",
            &[
                &v.name,
                &v.title,
                &v.date,
                &now(),
                &serde_json::to_string(&v.overlay_of).unwrap_or_default(),
            ],
        )?
        .get(0);
    let mark = tx.prepare("UPDATE clawbacks SET overlay = $1, log_id = $2 WHERE id = $3")?;
    for (id, log_id) in &v.replaced {
        tx.execute(&mark, &[&v.name, &(*log_id as i64), &(*id as i64)])?;
    }
    super::volumes::insert_rows(&mut tx, volume_id, &v.index_rows, &v.privlog_rows)?;
    before_commit()?;
    tx.commit()?;
    Ok(())
}
