//! `migrate-to-postgres`: copies a matter's embedded SQLite state into an
//! empty PostgreSQL database, verifies the copy table by table (row counts
//! and a SHA-256 of every row), and only then points `adrec.toml` at it. The
//! SQLite file is left as it was.

use super::postgres::{LockMode, PgStore};
use super::tables::TableSum;
use super::{CONFIG_FILE, Matter, Store, config};
use crate::error::Error;

impl Matter {
    /// Copies this matter's state to `url`; returns the verified tables.
    pub fn migrate_to_postgres(&self, url: &str) -> Result<Vec<TableSum>, Error> {
        if let Some(db) = &self.config.database {
            return Err(Error::input(format!(
                "this matter already keeps its state in PostgreSQL ({})",
                db.url
            ))
            .hint("nothing to migrate; `adrec status` shows the matter as it is"));
        }
        let mut target = PgStore::open(url, LockMode::Exclusive, "migrate-to-postgres")?;
        let existing = target.dump()?;
        if let Some((table, rows)) = existing.tables.iter().find(|(_, rows)| !rows.is_empty()) {
            return Err(Error::input(format!(
                "the database at {url} is not empty: its table `{table}` holds {} row(s)",
                rows.len()
            ))
            .hint(
                "migrate into a new, empty database (e.g. `createdb NAME`); nothing was copied",
            ));
        }
        let source = self.store.dump()?;
        target.restore(&source)?;
        let (expected, copied) = (source.sums(), target.dump()?.sums());
        if let Some((want, got)) = expected.iter().zip(&copied).find(|(a, b)| a != b) {
            return Err(Error::internal(format!(
                "the copy of table `{}` in {url} differs from the matter ({} row(s), SHA-256 {}; copied {} row(s), SHA-256 {})",
                want.table, want.rows, want.sha256, got.rows, got.sha256
            ))
            .hint("adrec.toml was not changed and the matter still uses its SQLite file; drop the new database and try again"));
        }
        let path = self.root.join(CONFIG_FILE);
        let mut text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
        text.push_str(&config::database_block(url));
        crate::files::write_atomic(&path, text.as_bytes())?;
        Ok(expected)
    }
}
