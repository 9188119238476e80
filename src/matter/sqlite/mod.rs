//! The SQLite implementation of the storage interface: the only module
//! (with `volumes.rs`) that contains SQL or names the database crate.
//!
//! Embedded SQLite in `.adrec/adrec.db`, WAL mode so read-only commands never
//! wait for a writer. Migrations are compiled in and applied on open under
//! `PRAGMA user_version`, each in its own transaction. A writable store holds
//! the matter's write lock (`.adrec/lock`) for its lifetime.

mod clawbacks;
mod documents;
mod review;
mod volumes;

use super::clawbacks::{Clawback, NewClawback, OverlayRecord};
use super::lock::WriteLock;
use super::store::{
    BatesSettings, IngestBatch, KnownFile, ReviewUpdate, RowKind, Store, VolumeInfo, VolumeRecord,
};
use super::tables::{Cell, Dump, Kind, TABLES, select};
use crate::error::Error;
use crate::model::{DocId, Document, EarlierDocs, HistoryEntry};
use documents::{DOC_COLUMNS, in_docid_order, insert_documents, read_document, update_document};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Append-only: never edit a released migration, add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_review.sql"),
    include_str!("migrations/0003_productions.sql"),
    include_str!("migrations/0004_clawbacks.sql"),
    include_str!("migrations/0005_families.sql"),
];

/// The matter's state in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    _lock: Option<WriteLock>,
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        Error::internal(format!("database error: {err}"))
            .hint("nothing was changed; if this repeats, check the disk and `.adrec/adrec.db`")
    }
}

pub(super) fn now() -> String {
    jiff::Timestamp::now().to_string()
}

impl SqliteStore {
    /// Opens (creating if `create`) and migrates the database for writing,
    /// holding `lock` (the matter's write lock) as long as the store lives.
    pub fn open_write(path: &Path, create: bool, lock: WriteLock) -> Result<SqliteStore, Error> {
        let mut store = SqliteStore::open(path, create)?;
        store._lock = Some(lock);
        Ok(store)
    }

    fn open(path: &Path, create: bool) -> Result<SqliteStore, Error> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| {
            Error::internal(format!(
                "could not open the matter database `{}`: {e}",
                path.display()
            ))
            .hint("check that `.adrec/` exists and is writable; `adrec init` creates it")
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut db = SqliteStore { conn, _lock: None };
        db.migrate(path)?;
        Ok(db)
    }

    /// Opens for reading only; never waits for the write lock.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, Error> {
        // Opened read-write when the file allows it, so SQLite can recover the
        // WAL left by a writer killed mid-commit (a read-only connection may
        // read the snapshot from before that commit); `query_only` keeps this
        // connection from changing anything.
        let open =
            |flags| Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX);
        let conn = open(OpenFlags::SQLITE_OPEN_READ_WRITE)
            .or_else(|_| open(OpenFlags::SQLITE_OPEN_READ_ONLY))
            .map_err(|e| {
                Error::internal(format!(
                    "could not open the matter database `{}`: {e}",
                    path.display()
                ))
                .hint("check that `.adrec/adrec.db` exists and is readable")
            })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version =
            conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
        if version > MIGRATIONS.len() {
            return Err(newer_schema(path, version));
        }
        if version < MIGRATIONS.len() {
            // An older matter: run the migrations through a writable handle first.
            drop(conn);
            SqliteStore::open(path, false)?;
            return SqliteStore::open_read_only(path);
        }
        conn.pragma_update(None, "query_only", true)?;
        Ok(SqliteStore { conn, _lock: None })
    }

    fn migrate(&mut self, path: &Path) -> Result<(), Error> {
        let version = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?
            as usize;
        if version > MIGRATIONS.len() {
            return Err(newer_schema(path, version));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn max_doc_seq(&self) -> Result<u64, Error> {
        Ok(self.conn.query_row(
            &format!(
                "SELECT COALESCE(MAX(seq), 0) FROM documents WHERE seq < {}",
                DocId::FIRST_CHILD_KEY
            ),
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Every known source path, for re-ingest checks without per-file queries.
    fn known_files(&self) -> Result<HashMap<String, KnownFile>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT source_path, seq, size, mtime_ns, sha256 FROM documents")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                KnownFile {
                    id: DocId(r.get::<_, i64>(1)? as u64),
                    size: r.get::<_, i64>(2)? as u64,
                    mtime_ns: r.get(3)?,
                    sha256: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The first (lowest DOCID) document holding each SHA-256.
    fn first_by_sha256(&self) -> Result<HashMap<String, DocId>, Error> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT sha256, MIN(seq) FROM documents WHERE seq < {} GROUP BY sha256",
            DocId::FIRST_CHILD_KEY
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, DocId(r.get::<_, i64>(1)? as u64)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes everything one ingest found, all or nothing.
    fn apply_ingest(&mut self, batch: &IngestBatch) -> Result<(), Error> {
        let at = now();
        let tx = self.conn.transaction()?;
        insert_documents(&tx, &batch.new, &at)?;
        for doc in &batch.updated {
            update_document(&tx, doc, &at, &batch.actor)?;
        }
        {
            let mut touch = tx.prepare("UPDATE documents SET mtime_ns = ?2 WHERE seq = ?1")?;
            for (id, mtime) in &batch.touched {
                touch.execute(params![id.0 as i64, mtime])?;
            }
            let mut fail = tx.prepare(
                "INSERT INTO ingest_failures (source_path, ingest_root, rel_path, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(source_path) DO UPDATE SET reason = excluded.reason, at = excluded.at,
                 ingest_root = excluded.ingest_root, rel_path = excluded.rel_path",
            )?;
            for f in &batch.failures {
                fail.execute(params![
                    f.source_path,
                    f.ingest_root,
                    f.rel_path,
                    f.reason,
                    at
                ])?;
            }
            let mut clear = tx.prepare("DELETE FROM ingest_failures WHERE source_path = ?1")?;
            for path in &batch.recovered {
                clear.execute(params![path])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every document in DOCID order.
    fn documents(&self) -> Result<Vec<Document>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {DOC_COLUMNS} FROM documents ORDER BY seq"))?;
        let rows = stmt.query_map([], read_document)?;
        Ok(in_docid_order(rows.collect::<Result<_, _>>()?))
    }

    /// Each document looked up by its key: a clawback or a short tag sheet
    /// in a matter of 100,000 documents reads a few rows, not all of them.
    fn documents_in(&self, ids: &[DocId]) -> Result<Vec<Document>, Error> {
        // Each once, in DOCID order: the order the set is walked in.
        let wanted: std::collections::BTreeSet<DocId> = ids.iter().copied().collect();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE seq = ?1"
        ))?;
        let mut docs = Vec::with_capacity(wanted.len());
        for id in wanted {
            docs.extend(stmt.query_row([id.0 as i64], read_document).optional()?);
        }
        Ok(docs)
    }

    fn families_in(&self, tops: std::ops::Range<u64>) -> Result<Vec<Document>, Error> {
        let [(a, b), (c, d)] = DocId::families_keys(tops);
        // Two walks of the key, each already in order: SQLite would copy
        // every row into a sorter for an ORDER BY on the family expression.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE seq BETWEEN ?1 AND ?2
             UNION ALL SELECT {DOC_COLUMNS} FROM documents WHERE seq BETWEEN ?3 AND ?4"
        ))?;
        let rows = stmt.query_map(
            params![a as i64, b as i64, c as i64, d as i64],
            read_document,
        )?;
        Ok(in_docid_order(rows.collect::<Result<_, _>>()?))
    }

    fn document(&self, id: DocId) -> Result<Option<Document>, Error> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {DOC_COLUMNS} FROM documents WHERE seq = ?1"),
                [id.0 as i64],
                read_document,
            )
            .optional()?)
    }

    fn family_of(&self, id: DocId) -> Result<Vec<Document>, Error> {
        let keys = id.family_keys();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE seq = ?1 OR (seq >= ?2 AND seq < ?3) ORDER BY seq"
        ))?;
        let rows = stmt.query_map(
            params![id.top().0 as i64, keys.start as i64, keys.end as i64],
            read_document,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Documents already in a volume (produced, withheld, or represented by a copy).
    fn produced_docs(&self) -> Result<HashSet<DocId>, Error> {
        let mut stmt = self.conn.prepare("SELECT seq FROM volume_documents")?;
        let rows = stmt.query_map([], |r| Ok(DocId(r.get::<_, i64>(0)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The text of every note, per document (to skip a note already there).
    fn note_texts(&self) -> Result<HashMap<DocId, HashSet<String>>, Error> {
        let mut stmt = self.conn.prepare("SELECT seq, text FROM notes")?;
        let mut out: HashMap<DocId, HashSet<String>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((DocId(r.get::<_, i64>(0)? as u64), r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, text) = row?;
            out.entry(id).or_default().insert(text);
        }
        Ok(out)
    }

    /// Only the notes of `ids` are kept as the notes are read.
    fn note_texts_in(&self, ids: &[DocId]) -> Result<HashMap<DocId, HashSet<String>>, Error> {
        let wanted: HashSet<DocId> = ids.iter().copied().collect();
        let mut stmt = self.conn.prepare("SELECT seq, text FROM notes")?;
        let mut rows = stmt.query([])?;
        let mut out: HashMap<DocId, HashSet<String>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let id = DocId(row.get::<_, i64>(0)? as u64);
            if wanted.contains(&id) {
                out.entry(id).or_default().insert(row.get(1)?);
            }
        }
        Ok(out)
    }

    /// Writes reviewers' changes, their history and notes, all or nothing.
    fn apply_review(&mut self, at: &str, updates: &[ReviewUpdate]) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        review::apply(&tx, at, updates)?;
        tx.commit()?;
        Ok(())
    }

    fn history(&self, id: DocId) -> Result<Vec<HistoryEntry>, Error> {
        let mut stmt = self.conn.prepare(
            "SELECT at, actor, field, old_value, new_value FROM history WHERE seq = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id.0 as i64], |r| {
            Ok(HistoryEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                field: r.get(2)?,
                old_value: r.get(3)?,
                new_value: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
    fn bates_settings(&self) -> Result<Option<BatesSettings>, Error> {
        volumes::bates_settings(&self.conn)
    }

    fn highest_bates(&self) -> Result<Option<u64>, Error> {
        volumes::highest_bates(&self.conn)
    }

    fn next_log_id(&self) -> Result<u64, Error> {
        volumes::next_log_id(&self.conn)
    }

    fn volumes(&self) -> Result<Vec<VolumeInfo>, Error> {
        volumes::volumes(&self.conn)
    }

    fn earlier(&self) -> Result<EarlierDocs, Error> {
        volumes::earlier(&self.conn)
    }

    fn earlier_count(&self) -> Result<usize, Error> {
        volumes::earlier_count(&self.conn)
    }

    fn record_volume_with(
        &mut self,
        v: &VolumeRecord,
        before_commit: &mut dyn FnMut() -> Result<(), Error>,
    ) -> Result<(), Error> {
        volumes::record_volume(&mut self.conn, v, before_commit)
    }

    fn each_volume_row(
        &self,
        volume: Option<&str>,
        kind: RowKind,
        each: &mut dyn FnMut(String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        volumes::each_volume_row(&self.conn, volume, kind, each)
    }

    fn record_clawbacks(
        &mut self,
        at: &str,
        updates: &[ReviewUpdate],
        requests: &[NewClawback],
    ) -> Result<(), Error> {
        clawbacks::record_clawbacks(&mut self.conn, at, updates, requests)
    }

    fn clawbacks(&self) -> Result<Vec<Clawback>, Error> {
        clawbacks::clawbacks(&self.conn)
    }

    fn record_overlay_with(
        &mut self,
        v: &OverlayRecord,
        before_commit: &mut dyn FnMut() -> Result<(), Error>,
    ) -> Result<(), Error> {
        clawbacks::record_overlay(&mut self.conn, v, before_commit)
    }

    fn dump(&self) -> Result<Dump, Error> {
        let mut dump = Dump::default();
        for table in TABLES {
            let mut stmt = self.conn.prepare(&select(table))?;
            let rows = stmt.query_map([], |r| {
                table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, kind))| from_sql(r.get::<_, rusqlite::types::Value>(i)?, *kind))
                    .collect::<rusqlite::Result<Vec<Cell>>>()
            })?;
            dump.tables
                .push((table.name, rows.collect::<Result<_, _>>()?));
        }
        Ok(dump)
    }

    fn restore(&mut self, dump: &Dump) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        for (table, (name, rows)) in TABLES.iter().zip(&dump.tables) {
            debug_assert_eq!(table.name, *name);
            let cols: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
            let mut stmt = tx.prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.name,
                cols.join(", "),
                marks.join(", ")
            ))?;
            for row in rows {
                stmt.execute(rusqlite::params_from_iter(row.iter().cloned().map(to_sql)))?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn to_sql(cell: Cell) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(n) => Value::Integer(n),
        Cell::Text(t) => Value::Text(t),
        Cell::Bool(b) => Value::Integer(b as i64),
    }
}

fn from_sql(value: rusqlite::types::Value, kind: Kind) -> rusqlite::Result<Cell> {
    use rusqlite::types::Value;
    Ok(match (value, kind) {
        (Value::Null, _) => Cell::Null,
        (Value::Integer(n), Kind::Bool) => Cell::Bool(n != 0),
        (Value::Integer(n), _) => Cell::Int(n),
        (Value::Text(t), _) => Cell::Text(t),
        (Value::Real(f), _) => Cell::Text(f.to_string()),
        (Value::Blob(b), _) => Cell::Text(String::from_utf8_lossy(&b).into_owned()),
    })
}

fn newer_schema(path: &Path, version: usize) -> Error {
    Error::input(format!(
        "the matter database `{}` has schema version {version}, newer than this adrec understands ({})",
        path.display(),
        MIGRATIONS.len()
    ))
    .hint("use the adrec version that last wrote this matter, or a newer one")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sqlite_store_passes_the_storage_conformance_suite() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = 0;
        crate::matter::conformance::run_all(&mut || {
            n += 1;
            let path = dir.path().join(format!("adrec-{n}.db"));
            Box::new(SqliteStore::open(&path, true).unwrap())
        });
    }

    #[test]
    fn a_read_only_store_refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("adrec.db");
        drop(SqliteStore::open(&path, true).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = SqliteStore::open_read_only(&path)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("schema version 99"), "{err}");
    }
}
