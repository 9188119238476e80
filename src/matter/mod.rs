//! The matter: a folder holding `adrec.toml` and `.adrec/` (database, lock,
//! stored redacted files) and the volumes under `productions/`. Everything
//! that touches it goes through here; the rest of the crate sees the
//! `Store` trait, never the database behind it.

pub mod clawbacks;
pub mod config;
pub mod config_legal;
#[cfg(test)]
pub mod conformance;
mod lock;
mod migrate;
pub mod postgres;
pub mod redacted;
mod sqlite;
pub mod staging;
pub mod store;
pub mod tables;
pub mod text_cache;

use crate::error::Error;
pub use config::Config;
use lock::WriteLock;
use postgres::{LockMode, PgStore};
pub use redacted::RedactedStore;
use sqlite::SqliteStore;
use std::path::{Path, PathBuf};
pub use store::Store;
pub use text_cache::TextCache;

pub const CONFIG_FILE: &str = "adrec.toml";
pub const INTERNAL_DIR: &str = ".adrec";
pub const PRODUCTIONS_DIR: &str = "productions";
const DB_FILE: &str = "adrec.db";

/// An open matter. A writable one holds the write lock for its lifetime.
pub struct Matter {
    pub root: PathBuf,
    pub config: Config,
    /// The matter's state; a writable matter's store holds the write lock.
    pub store: Box<dyn Store>,
}

/// The matter's store opened for reading only, without a lock.
fn read_store(root: &Path, config: &Config) -> Result<Box<dyn Store>, Error> {
    Ok(match &config.database {
        Some(db) => Box::new(PgStore::open(&db.url, LockMode::None, "read")?),
        None => Box::new(SqliteStore::open_read_only(&db_path(root)?)?),
    })
}

impl Matter {
    /// Finds the matter folder like git finds a repository: `--matter DIR`,
    /// else `ADREC_MATTER`, else the nearest `adrec.toml` upward from here.
    pub fn discover(explicit: Option<&Path>) -> Result<PathBuf, Error> {
        let given = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("ADREC_MATTER").map(PathBuf::from));
        if let Some(dir) = given {
            if dir.join(CONFIG_FILE).is_file() {
                return canonical(&dir);
            }
            return Err(Error::input(format!("`{}` is not an adrec matter: it has no `{CONFIG_FILE}`", dir.display()))
                .hint("run `adrec init DIR` to create one, or point --matter / ADREC_MATTER at the right folder"));
        }
        let cwd = std::env::current_dir()
            .map_err(|e| Error::internal(format!("could not read the current folder: {e}")))?;
        let mut dir = cwd.as_path();
        loop {
            if dir.join(CONFIG_FILE).is_file() {
                return canonical(dir);
            }
            match dir.parent() {
                Some(parent) => dir = parent,
                None => {
                    return Err(Error::input(format!(
                        "no adrec matter here: no `{CONFIG_FILE}` in `{}` or any folder above it",
                        cwd.display()
                    ))
                    .hint("run `adrec init` to create a matter, or pass `--matter DIR`"));
                }
            }
        }
    }

    /// Opens for reading: no lock, never waits for a writer.
    pub fn open_read(root: &Path) -> Result<Matter, Error> {
        let config = Config::load(&root.join(CONFIG_FILE))?;
        let store = read_store(root, &config)?;
        let matter = Matter {
            root: root.to_path_buf(),
            config,
            store,
        };
        // A volume committed by a process killed before its rename is completed here.
        matter.recover(false)?;
        Ok(matter)
    }

    /// A second handle on the matter's state, read-only and without a lock,
    /// for a thread that reads ahead while this one works. It sees what the
    /// matter's own store has committed; a produce writes nothing to the
    /// store until it records the volume, after its passes.
    pub fn reader(&self) -> Result<Box<dyn Store>, Error> {
        read_store(&self.root, &self.config)
    }

    /// Opens for writing: takes the write lock first (exit 3 if held). On a
    /// shared PostgreSQL matter `tag` shares the lock with other reviewers;
    /// every other writer holds it alone.
    pub fn open_write(root: &Path, command: &str) -> Result<Matter, Error> {
        let config = Config::load(&root.join(CONFIG_FILE))?;
        let internal = root.join(INTERNAL_DIR);
        if !internal.is_dir() {
            return Err(Error::input(format!(
                "`{}` is missing: the matter is incomplete",
                internal.display()
            ))
            .hint("re-create the matter with `adrec init` in a new folder and ingest again"));
        }
        let store: Box<dyn Store> = match &config.database {
            Some(db) => {
                let mode = if command == "tag" {
                    LockMode::Shared
                } else {
                    LockMode::Exclusive
                };
                Box::new(PgStore::open(&db.url, mode, command)?)
            }
            None => {
                let lock = WriteLock::acquire(&internal, command)?;
                Box::new(SqliteStore::open_write(&db_path(root)?, false, lock)?)
            }
        };
        let matter = Matter {
            root: root.to_path_buf(),
            config,
            store,
        };
        // With the lock held, unfinished staging folders of uncommitted volumes go too.
        matter.recover(true)?;
        Ok(matter)
    }

    /// Creates a new matter in `dir` from a template; refuses to overwrite.
    /// With `database`, the matter's state lives on that PostgreSQL server
    /// (an existing matter there is joined, never overwritten).
    pub fn create(
        dir: &Path,
        template_text: &str,
        database: Option<&str>,
    ) -> Result<PathBuf, Error> {
        if let Some(url) = database {
            postgres::check_url(url)?;
        }
        let config_path = dir.join(CONFIG_FILE);
        let internal = dir.join(INTERNAL_DIR);
        for existing in [&config_path, &internal] {
            if existing.exists() {
                return Err(Error::input(format!(
                    "`{}` already exists: refusing to overwrite a matter",
                    existing.display()
                ))
                .hint("choose an empty folder, e.g. `adrec init NEW-FOLDER`"));
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        let root = canonical(dir)?;
        std::fs::create_dir(&internal).map_err(|e| Error::io("create", &internal, e))?;
        let lock = WriteLock::acquire(&internal, "init")?;
        let mut text = template_text.to_string();
        match database {
            Some(url) => {
                drop(lock);
                drop(PgStore::open(url, LockMode::Exclusive, "init")?);
                text.push_str(&config::database_block(url));
            }
            None => drop(SqliteStore::open_write(
                &internal.join(DB_FILE),
                true,
                lock,
            )?),
        }
        // Written last and atomically: a matter is complete once `adrec.toml` exists.
        crate::files::write_atomic(&config_path, text.as_bytes())?;
        Ok(root)
    }

    /// The store of redacted PDFs under `.adrec/`.
    pub fn redacted_store(&self) -> RedactedStore {
        RedactedStore::new(&self.root.join(INTERNAL_DIR))
    }

    /// The cache of extracted PDF text under `.adrec/`.
    pub fn text_cache(&self) -> TextCache {
        TextCache::new(&self.root.join(INTERNAL_DIR))
    }

    /// Folders that ingest never walks.
    pub fn own_folders(&self) -> [PathBuf; 2] {
        [
            self.root.join(INTERNAL_DIR),
            self.root.join(PRODUCTIONS_DIR),
        ]
    }
}

fn db_path(root: &Path) -> Result<PathBuf, Error> {
    let path = root.join(INTERNAL_DIR).join(DB_FILE);
    if !path.is_file() {
        return Err(Error::input(format!(
            "`{}` is missing: the matter has no database",
            path.display()
        ))
        .hint("re-create the matter with `adrec init` in a new folder"));
    }
    Ok(path)
}

fn canonical(dir: &Path) -> Result<PathBuf, Error> {
    dir.canonicalize().map_err(|e| Error::io("open", dir, e))
}
