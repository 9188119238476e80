//! The PostgreSQL implementation of the storage interface, for matters a
//! review team shares: the same tables as SQLite, migrations of its own, and
//! the writer lock as a PostgreSQL advisory lock held by this connection
//! (released by the server if the process dies).
//!
//! `ingest` and `produce` take the lock exclusively; `tag` takes it shared,
//! so reviewers tag at the same time but never while a volume is numbered.
//! Readers take nothing.

mod clawbacks;
mod connect;
mod documents;
use documents::{DOC_COLUMNS, cell, insert_documents, param, read_document, update_document};
mod review;
mod volumes;

pub use connect::check_url;

use super::clawbacks::{Clawback, NewClawback, OverlayRecord};
use super::store::{
    BatesSettings, IngestBatch, KnownFile, NewDocument, ReviewUpdate, RowKind, Store, VolumeInfo,
    VolumeRecord,
};
use super::tables::{Cell, Dump, Kind, TABLES, select};
use crate::error::Error;
use crate::model::{DocId, Document, EarlierDocs, FileKind, HistoryEntry, Review, Source, Status};
use postgres::types::ToSql;
use postgres::{Client, Row, Transaction};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Append-only: never edit a released migration, add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_notes_index.sql"),
    include_str!("migrations/0003_clawbacks.sql"),
    include_str!("migrations/0004_families.sql"),
];

/// The one advisory-lock key of a matter's database ("adrec").
const LOCK_KEY: i64 = 0x0061_6472_6563;

/// How a command holds the matter's writer lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// No lock: a reader.
    None,
    /// Many at once (tag), never beside an exclusive holder.
    Shared,
    /// One at a time, alone (ingest, produce).
    Exclusive,
}

pub struct PgStore {
    client: RefCell<Client>,
    url: String,
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        // A restarted server, a terminated session or a dropped network all
        // end the same way for us: the open transaction died with it.
        let io_failed = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        let shut_down = e
            .as_db_error()
            .is_some_and(|d| d.code() == &postgres::error::SqlState::ADMIN_SHUTDOWN);
        if e.is_closed() || io_failed || shut_down {
            return Error::internal("the connection to the PostgreSQL server was lost (server restarted, session terminated or network down)")
                .hint("nothing was changed: the open transaction was rolled back by the server; run the command again when the server is back");
        }
        let detail = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string());
        Error::internal(format!("database error (PostgreSQL): {detail}"))
            .hint("nothing was changed; if this repeats, check the server and its log")
    }
}

/// The server frees a session's advisory locks when its backend ends, which
/// can be a moment after this process has exited: a `produce` started right
/// after a `tag` would find the lock still held. Released here, in order.
impl Drop for PgStore {
    fn drop(&mut self) {
        let _ = self
            .client
            .get_mut()
            .batch_execute("SELECT pg_advisory_unlock_all()");
    }
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown host".into())
}

impl PgStore {
    /// Connects and brings the schema up to date (creating it in an empty
    /// database), then takes the writer lock as `lock` says.
    pub fn open(url: &str, lock: LockMode, command: &str) -> Result<PgStore, Error> {
        let client = connect::connect(url)?;
        let mut store = PgStore {
            client: RefCell::new(client),
            url: url.to_string(),
        };
        store.migrate()?;
        match lock {
            LockMode::None => {}
            LockMode::Shared => store.lock(false, command)?,
            LockMode::Exclusive => store.lock(true, command)?,
        }
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), Error> {
        let mut tx = self.client.get_mut().transaction()?;
        // One migrator at a time, whoever else opens the matter now.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&(LOCK_KEY + 1)])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS adrec_schema (version BIGINT NOT NULL)")?;
        let version: i64 = tx
            .query_opt("SELECT version FROM adrec_schema", &[])?
            .map(|r| r.get(0))
            .unwrap_or(0);
        if version as usize > MIGRATIONS.len() {
            return Err(Error::input(format!(
                "the matter's database at {} has schema version {version}, newer than this adrec understands ({})",
                self.url,
                MIGRATIONS.len()
            ))
            .hint("use the adrec version that last wrote this matter, or a newer one"));
        }
        for sql in MIGRATIONS.iter().skip(version as usize) {
            tx.batch_execute(sql)?;
        }
        if (version as usize) < MIGRATIONS.len() {
            tx.execute("DELETE FROM adrec_schema", &[])?;
            tx.execute(
                "INSERT INTO adrec_schema (version) VALUES ($1)",
                &[&(MIGRATIONS.len() as i64)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn lock(&mut self, exclusive: bool, command: &str) -> Result<(), Error> {
        let sql = if exclusive {
            "SELECT pg_try_advisory_lock($1)"
        } else {
            "SELECT pg_try_advisory_lock_shared($1)"
        };
        let got: bool = self.client.get_mut().query_one(sql, &[&LOCK_KEY])?.get(0);
        if !got {
            return Err(Error::Locked {
                holder: self.holder(),
                lock_file: format!("the advisory lock of {}", self.url),
            });
        }
        if exclusive {
            let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            let holder = format!(
                "{user}@{} running `adrec {command}` (pid {})",
                host_name(),
                std::process::id()
            );
            self.client.get_mut().execute(
                // The server's clock: the next writer compares it with the
                // server's own session start times.
                "INSERT INTO writer_lock (id, holder, since)
                 VALUES (1, $1, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))
                 ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, since = excluded.since",
                &[&holder],
            )?;
        }
        Ok(())
    }

    /// Who holds the lock, as far as the server knows.
    fn holder(&mut self) -> String {
        let exclusive: i64 = self
            .client
            .get_mut()
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND mode = 'ExclusiveLock' AND granted \
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                &[&((LOCK_KEY & 0xffff_ffff) as u32)],
            )
            .map(|r| r.get(0))
            .unwrap_or(0);
        if exclusive > 0 {
            // The holder notes who it is just after it gets the lock: until
            // that note is newer than the holder's session, it is the last
            // holder's, so wait a moment for the current one.
            for _ in 0..50 {
                let row = self.client.get_mut().query_opt(
                    "SELECT w.holder, w.since, w.since::timestamptz >= a.backend_start
                     FROM writer_lock w, pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE w.id = 1 AND l.locktype = 'advisory' AND l.objid = $1 AND l.mode = 'ExclusiveLock'
                       AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    &[&((LOCK_KEY & 0xffff_ffff) as u32)],
                );
                match row {
                    Ok(Some(row)) if row.get::<_, bool>(2) => {
                        let (holder, since): (String, String) = (row.get(0), row.get(1));
                        return format!("{holder}, since {since}");
                    }
                    Ok(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                    Err(_) => break,
                }
            }
            return "another adrec ingest or produce".into();
        }
        "reviewers applying tags right now".into()
    }
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn max_doc_seq(&self) -> Result<u64, Error> {
        Ok(self.query_i64(&format!(
            "SELECT COALESCE(MAX(seq), 0) FROM documents WHERE seq < {}",
            DocId::FIRST_CHILD_KEY
        ))? as u64)
    }

    fn known_files(&self) -> Result<HashMap<String, KnownFile>, Error> {
        let rows = self.rows(
            "SELECT source_path, seq, size, mtime_ns, sha256 FROM documents",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    KnownFile {
                        id: DocId(r.try_get::<_, i64>(1)? as u64),
                        size: r.try_get::<_, i64>(2)? as u64,
                        mtime_ns: r.try_get(3)?,
                        sha256: r.try_get(4)?,
                    },
                ))
            })
            .collect()
    }

    fn first_by_sha256(&self) -> Result<HashMap<String, DocId>, Error> {
        let rows = self.rows(
            &format!(
                "SELECT sha256, MIN(seq) FROM documents WHERE seq < {} GROUP BY sha256",
                DocId::FIRST_CHILD_KEY
            ),
            &[],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, DocId(r.try_get::<_, i64>(1)? as u64))))
            .collect()
    }

    fn apply_ingest(&mut self, batch: &IngestBatch) -> Result<(), Error> {
        let at = now();
        let mut tx = self.client.get_mut().transaction()?;
        for chunk in batch.new.chunks(5_000) {
            insert_documents(&mut tx, chunk, &at)?;
        }
        for d in &batch.updated {
            update_document(&mut tx, d, &at, &batch.actor)?;
        }
        if !batch.touched.is_empty() {
            let ids: Vec<i64> = batch.touched.iter().map(|(id, _)| id.0 as i64).collect();
            let mtimes: Vec<i64> = batch.touched.iter().map(|(_, m)| *m).collect();
            tx.execute(
                "UPDATE documents AS d SET mtime_ns = v.mtime FROM unnest($1::bigint[], $2::bigint[]) AS v(seq, mtime)
                 WHERE d.seq = v.seq",
                &[&ids, &mtimes],
            )?;
        }
        for f in &batch.failures {
            tx.execute(
                "INSERT INTO ingest_failures (source_path, ingest_root, rel_path, reason, at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (source_path) DO UPDATE SET reason = excluded.reason, at = excluded.at,
                 ingest_root = excluded.ingest_root, rel_path = excluded.rel_path",
                &[&f.source_path, &f.ingest_root, &f.rel_path, &f.reason, &at],
            )?;
        }
        if !batch.recovered.is_empty() {
            tx.execute(
                "DELETE FROM ingest_failures WHERE source_path = ANY($1)",
                &[&batch.recovered],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn documents(&self) -> Result<Vec<Document>, Error> {
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents ORDER BY {}",
            DocId::ORDER_SQL
        );
        self.rows(&sql, &[])?.iter().map(read_document).collect()
    }

    fn families_in(&self, tops: std::ops::Range<u64>) -> Result<Vec<Document>, Error> {
        let [(a, b), (c, d)] = DocId::families_keys(tops);
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE seq BETWEEN $1 AND $2 OR seq BETWEEN $3 AND $4 ORDER BY {}",
            DocId::ORDER_SQL
        );
        self.rows(&sql, &[&(a as i64), &(b as i64), &(c as i64), &(d as i64)])?
            .iter()
            .map(read_document)
            .collect()
    }

    fn document(&self, id: DocId) -> Result<Option<Document>, Error> {
        let sql = format!("SELECT {DOC_COLUMNS} FROM documents WHERE seq = $1");
        self.rows(&sql, &[&(id.0 as i64)])?
            .first()
            .map(read_document)
            .transpose()
    }

    fn family_of(&self, id: DocId) -> Result<Vec<Document>, Error> {
        let keys = id.family_keys();
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE seq = $1 OR (seq >= $2 AND seq < $3) ORDER BY seq"
        );
        self.rows(
            &sql,
            &[
                &(id.top().0 as i64),
                &(keys.start as i64),
                &(keys.end as i64),
            ],
        )?
        .iter()
        .map(read_document)
        .collect()
    }

    fn documents_in(&self, ids: &[DocId]) -> Result<Vec<Document>, Error> {
        let seqs: Vec<i64> = ids.iter().map(|id| id.0 as i64).collect();
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE seq = ANY($1) ORDER BY {}",
            DocId::ORDER_SQL
        );
        self.rows(&sql, &[&seqs])?
            .iter()
            .map(read_document)
            .collect()
    }

    fn note_texts_in(&self, ids: &[DocId]) -> Result<HashMap<DocId, HashSet<String>>, Error> {
        let seqs: Vec<i64> = ids.iter().map(|id| id.0 as i64).collect();
        let mut out: HashMap<DocId, HashSet<String>> = HashMap::new();
        for r in self.rows("SELECT seq, text FROM notes WHERE seq = ANY($1)", &[&seqs])? {
            out.entry(DocId(r.try_get::<_, i64>(0)? as u64))
                .or_default()
                .insert(r.try_get(1)?);
        }
        Ok(out)
    }

    fn note_texts(&self) -> Result<HashMap<DocId, HashSet<String>>, Error> {
        let mut out: HashMap<DocId, HashSet<String>> = HashMap::new();
        for r in self.rows("SELECT seq, text FROM notes", &[])? {
            out.entry(DocId(r.try_get::<_, i64>(0)? as u64))
                .or_default()
                .insert(r.try_get(1)?);
        }
        Ok(out)
    }

    fn apply_review(&mut self, at: &str, updates: &[ReviewUpdate]) -> Result<(), Error> {
        let mut tx = self.client.get_mut().transaction()?;
        review::apply(&mut tx, at, updates)?;
        tx.commit()?;
        Ok(())
    }

    fn history(&self, id: DocId) -> Result<Vec<HistoryEntry>, Error> {
        let rows = self.rows(
            "SELECT at, actor, field, old_value, new_value FROM history WHERE seq = $1 ORDER BY id",
            &[&(id.0 as i64)],
        )?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEntry {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    field: r.try_get(2)?,
                    old_value: r.try_get(3)?,
                    new_value: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn produced_docs(&self) -> Result<HashSet<DocId>, Error> {
        let rows = self.rows("SELECT seq FROM volume_documents", &[])?;
        rows.iter()
            .map(|r| Ok(DocId(r.try_get::<_, i64>(0)? as u64)))
            .collect()
    }

    fn bates_settings(&self) -> Result<Option<BatesSettings>, Error> {
        volumes::bates_settings(self)
    }

    fn highest_bates(&self) -> Result<Option<u64>, Error> {
        volumes::highest_bates(self)
    }

    fn next_log_id(&self) -> Result<u64, Error> {
        Ok(self.query_i64(
            "SELECT GREATEST(COALESCE((SELECT MAX(log_id) FROM volume_documents), 0),
                             COALESCE((SELECT MAX(log_id) FROM clawbacks), 0)) + 1",
        )? as u64)
    }

    fn volumes(&self) -> Result<Vec<VolumeInfo>, Error> {
        volumes::volumes(self)
    }

    fn earlier(&self) -> Result<EarlierDocs, Error> {
        volumes::earlier(self)
    }

    fn earlier_count(&self) -> Result<usize, Error> {
        volumes::earlier_count(self)
    }

    fn record_volume_with(
        &mut self,
        v: &VolumeRecord,
        before_commit: &mut dyn FnMut() -> Result<(), Error>,
    ) -> Result<(), Error> {
        volumes::record_volume(self.client.get_mut(), v, before_commit)
    }

    fn each_volume_row(
        &self,
        volume: Option<&str>,
        kind: RowKind,
        each: &mut dyn FnMut(String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        volumes::each_volume_row(self, volume, kind, each)
    }

    fn record_clawbacks(
        &mut self,
        at: &str,
        updates: &[ReviewUpdate],
        requests: &[NewClawback],
    ) -> Result<(), Error> {
        clawbacks::record_clawbacks(self.client.get_mut(), at, updates, requests)
    }

    fn clawbacks(&self) -> Result<Vec<Clawback>, Error> {
        clawbacks::clawbacks(self)
    }

    fn record_overlay_with(
        &mut self,
        v: &OverlayRecord,
        before_commit: &mut dyn FnMut() -> Result<(), Error>,
    ) -> Result<(), Error> {
        clawbacks::record_overlay(self.client.get_mut(), v, before_commit)
    }

    fn dump(&self) -> Result<Dump, Error> {
        let mut dump = Dump::default();
        for table in TABLES {
            let rows = self.rows(&select(table), &[])?;
            let cells = rows
                .iter()
                .map(|r| {
                    table
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(i, (_, kind))| cell(r, i, *kind))
                        .collect::<Result<Vec<Cell>, Error>>()
                })
                .collect::<Result<Vec<_>, Error>>()?;
            dump.tables.push((table.name, cells));
        }
        Ok(dump)
    }

    fn restore(&mut self, dump: &Dump) -> Result<(), Error> {
        let mut tx = self.client.get_mut().transaction()?;
        for (table, (_, rows)) in TABLES.iter().zip(&dump.tables) {
            let cols: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let stmt = tx.prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.name,
                cols.join(", "),
                marks.join(", ")
            ))?;
            for row in rows {
                let params: Vec<Box<dyn ToSql + Sync>> = row
                    .iter()
                    .zip(table.columns)
                    .map(|(c, (_, kind))| param(c, *kind))
                    .collect();
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
                tx.execute(&stmt, &refs)?;
            }
        }
        // Serial columns continue after the ids copied in.
        for table in ["history", "notes", "volumes", "clawbacks"] {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ),
                &[],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

impl PgStore {
    /// Runs a read. The trait's readers take `&self` while the client needs
    /// `&mut` to send anything, so the client sits in a `RefCell`: one
    /// command runs on one thread, and no read borrows it across another.
    fn rows(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, Error> {
        let mut client = self.reading()?;
        Ok(client.query(sql, params)?)
    }

    /// Runs a read whose rows are handed to `each` as they arrive, never
    /// collected: the server waits while `each` works, so memory stays that
    /// of one row however many the read returns.
    fn each_row(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        each: &mut dyn FnMut(Row) -> Result<(), Error>,
    ) -> Result<(), Error> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut client = self.reading()?;
        let mut rows = client.query_raw(sql, params.iter().copied())?;
        while let Some(row) = rows.next()? {
            each(row)?;
        }
        Ok(())
    }

    /// The client, for one read at a time.
    fn reading(&self) -> Result<std::cell::RefMut<'_, Client>, Error> {
        self.client.try_borrow_mut().map_err(|_| {
            Error::internal("the database connection was asked two things at once")
                .hint("please report this as a bug with the command you ran")
        })
    }

    fn query_i64(&self, sql: &str) -> Result<i64, Error> {
        match self.rows(sql, &[])?.first() {
            Some(r) => Ok(r.try_get(0)?),
            None => Ok(0),
        }
    }
}

#[cfg(test)]
pub mod testing;
