//! The productions part of the PostgreSQL store (split from `mod.rs` by
//! subject): Bates settings, volumes, what each volume accounted for, and
//! the rows written into it.

use super::{PgStore, now};
use crate::error::Error;
use crate::export::spill::Rows;
use crate::export::{IndexRow, PrivLogRow};
use crate::matter::store::{BatesSettings, RowKind, VolumeInfo, VolumeRecord, issue_conflict};
use crate::model::{Decision, DocId, Earlier, EarlierDocs, SharedNames};
use postgres::Client;

pub(super) fn bates_settings(store: &PgStore) -> Result<Option<BatesSettings>, Error> {
    let rows = store.rows(
        "SELECT prefix, width, start FROM bates_settings WHERE id = 1",
        &[],
    )?;
    rows.first()
        .map(|r| {
            Ok(BatesSettings {
                prefix: r.try_get(0)?,
                width: r.try_get::<_, i64>(1)? as u32,
                start: r.try_get::<_, i64>(2)? as u64,
            })
        })
        .transpose()
}

pub(super) fn highest_bates(store: &PgStore) -> Result<Option<u64>, Error> {
    let rows = store.rows("SELECT MAX(last_bates) FROM volumes", &[])?;
    Ok(match rows.first() {
        Some(r) => r.try_get::<_, Option<i64>>(0)?.map(|n| n as u64),
        None => None,
    })
}

pub(super) fn volumes(store: &PgStore) -> Result<Vec<VolumeInfo>, Error> {
    let rows = store.rows(
        "SELECT name, title, date, first_bates, last_bates, overlay_of FROM volumes ORDER BY id",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(VolumeInfo {
                name: r.try_get(0)?,
                title: r.try_get(1)?,
                date: r.try_get(2)?,
                first_bates: r.try_get::<_, Option<i64>>(3)?.map(|n| n as u64),
                last_bates: r.try_get::<_, Option<i64>>(4)?.map(|n| n as u64),
                overlay_of: r
                    .try_get::<_, Option<String>>(5)?
                    .map(|json| serde_json::from_str(&json).unwrap_or_default()),
            })
        })
        .collect()
}

pub(super) fn earlier(store: &PgStore) -> Result<EarlierDocs, Error> {
    let mut names = SharedNames::default();
    let mut entries = Vec::new();
    // Each row kept in its small form as it arrives: the rows themselves (a
    // million after a large volume) are never held together.
    store.each_row(
        &format!(
            "SELECT vd.seq, v.name, d.sha256, d.custodian, vd.decision, COALESCE(vd.represented_by, vd.seq) {EARLIER}"
        ),
        &[],
        &mut |r| {
            let decision: String = r.try_get(4)?;
            let decision: Decision = serde_json::from_str(&decision).map_err(|e| {
                Error::internal(format!(
                    "a stored production decision does not read back: {e}"
                ))
            })?;
            entries.push((
                DocId(r.try_get::<_, i64>(0)? as u64),
                Earlier {
                    volume: names.get(r.try_get(1)?),
                    sha256: r.try_get(2)?,
                    custodian: names.get(r.try_get(3)?),
                    decision: decision.fingerprint(),
                    represented_by: DocId(r.try_get::<_, i64>(5)? as u64),
                },
            ));
            Ok(())
        },
    )?;
    Ok(entries.into_iter().collect())
}

/// How many documents [`earlier`] reads.
pub(super) fn earlier_count(store: &PgStore) -> Result<usize, Error> {
    Ok(store.query_i64(&format!("SELECT COUNT(DISTINCT vd.seq) {EARLIER}"))? as usize)
}

/// The documents already in a volume, with their volumes and sources.
const EARLIER: &str = "FROM volume_documents vd JOIN volumes v ON v.id = vd.volume_id JOIN documents d ON d.seq = vd.seq";

pub(super) fn record_volume(
    client: &mut Client,
    v: &VolumeRecord,
    before_commit: &mut dyn FnMut() -> Result<(), Error>,
) -> Result<(), Error> {
    let mut tx = client.transaction()?;
    // Volumes are recorded one at a time across every machine: the numbers
    // checked here are the numbers issued.
    tx.batch_execute("LOCK TABLE volumes IN EXCLUSIVE MODE")?;
    let taken = name_used(&mut tx, &v.name)?;
    let highest: Option<i64> = tx
        .query_one("SELECT MAX(last_bates) FROM volumes", &[])?
        .get(0);
    if let Some(conflict) = issue_conflict(v, taken, highest.map(|n| n as u64)) {
        return Err(conflict);
    }
    tx.execute(
        "INSERT INTO bates_settings (id, prefix, width, start) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
        &[&v.settings.prefix, &(v.settings.width as i64), &(v.settings.start as i64)],
    )?;
    let volume_id: i64 = tx
        .query_one(
            "INSERT INTO volumes (name, title, date, first_bates, last_bates, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &v.name,
                &v.title,
                &v.date,
                &v.first_bates.map(|n| n as i64),
                &v.last_bates.map(|n| n as i64),
                &now(),
            ],
        )?
        .get(0);
    let doc = tx.prepare(
        "INSERT INTO volume_documents (volume_id, seq, treatment, beg_bates, end_bates, log_id, represented_by,
         produced_sha256, decision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )?;
    for d in v.documents.read() {
        let d = d?;
        tx.execute(
            &doc,
            &[
                &volume_id,
                &(d.id.0 as i64),
                &d.treatment,
                &d.beg.map(|n| n as i64),
                &d.end.map(|n| n as i64),
                &d.log_id.map(|n| n as i64),
                &d.represented_by.map(|id| id.0 as i64),
                &d.produced_sha256,
                &serde_json::to_string(&d.decision).unwrap_or_default(),
            ],
        )?;
    }
    insert_rows(&mut tx, volume_id, &v.index_rows, &v.privlog_rows)?;
    before_commit()?;
    tx.commit()?;
    Ok(())
}

/// Whether a volume (or overlay) of this name is recorded.
pub(super) fn name_used(tx: &mut postgres::Transaction<'_>, name: &str) -> Result<bool, Error> {
    Ok(tx
        .query_one(
            "SELECT EXISTS(SELECT 1 FROM volumes WHERE name = $1)",
            &[&name],
        )?
        .get(0))
}

/// The index and privilege-log rows written into a volume (or an overlay).
pub(super) fn insert_rows(
    tx: &mut postgres::Transaction<'_>,
    volume_id: i64,
    index: &Rows<IndexRow>,
    privlog: &Rows<PrivLogRow>,
) -> Result<(), Error> {
    let row =
        tx.prepare("INSERT INTO volume_rows (volume_id, kind, ord, data) VALUES ($1, $2, $3, $4)")?;
    for (kind, rows) in [
        (RowKind::Index, index.frozen()),
        (RowKind::Privlog, privlog.frozen()),
    ] {
        for (i, data) in rows.enumerate() {
            tx.execute(&row, &[&volume_id, &kind.as_str(), &(i as i64), &data?])?;
        }
    }
    Ok(())
}

/// Frozen rows of one volume (or all, in volume order), as stored JSON,
/// each handed to `each` as it arrives from the server.
pub(super) fn each_volume_row(
    store: &PgStore,
    volume: Option<&str>,
    kind: RowKind,
    each: &mut dyn FnMut(String) -> Result<(), Error>,
) -> Result<(), Error> {
    store.each_row(
        "SELECT r.data FROM volume_rows r JOIN volumes v ON v.id = r.volume_id
         WHERE r.kind = $1 AND ($2::TEXT IS NULL OR v.name = $2) ORDER BY v.id, r.ord",
        &[&kind.as_str(), &volume],
        &mut |row| each(row.try_get(0)?),
    )
}
