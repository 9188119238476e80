//! The storage conformance suite against a real server, when the test run
//! names one: `ADREC_TEST_PG_HOST` (a host or socket folder) and
//! `ADREC_TEST_PG_PORT`, user `postgres` (`.ci/run` starts a throwaway
//! cluster and sets them). Without them the test says it did not run.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The URL of database `db` on the test server, if there is one.
pub fn url(db: &str) -> Option<String> {
    let host = std::env::var("ADREC_TEST_PG_HOST").ok()?;
    let port = std::env::var("ADREC_TEST_PG_PORT").unwrap_or_else(|_| "5432".into());
    Some(format!(
        "postgresql://postgres@/{db}?host={host}&port={port}"
    ))
}

/// A new, empty database on the test server; its URL.
pub fn fresh_database(label: &str) -> Option<String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let admin = url("postgres")?;
    let name = format!(
        "adrec_{label}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = connect::connect(&admin).expect("the test server answers");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        client.batch_execute(&sql).expect("create a test database");
    }
    url(&name)
}

#[test]
fn the_postgres_store_passes_the_storage_conformance_suite() {
    if url("postgres").is_none() {
        eprintln!("skipped: set ADREC_TEST_PG_HOST (and _PORT) to run against PostgreSQL");
        return;
    }
    crate::matter::conformance::run_all(&mut || {
        let url = fresh_database("unit").expect("a test database");
        Box::new(PgStore::open(&url, LockMode::None, "test").expect("open"))
    });
}

#[test]
fn a_second_exclusive_writer_is_told_who_holds_the_lock() {
    let Some(url) = fresh_database("lock") else {
        return;
    };
    let first = PgStore::open(&url, LockMode::Exclusive, "produce").unwrap();
    let err = PgStore::open(&url, LockMode::Exclusive, "ingest")
        .err()
        .expect("refused");
    let text = err.to_string();
    assert!(matches!(err, Error::Locked { .. }), "{text}");
    assert!(text.contains("running `adrec produce`"), "{text}");
    assert!(PgStore::open(&url, LockMode::Shared, "tag").is_err());
    assert!(
        PgStore::open(&url, LockMode::None, "docs").is_ok(),
        "readers never wait"
    );
    drop(first);
    let a = PgStore::open(&url, LockMode::Shared, "tag").unwrap();
    let b = PgStore::open(&url, LockMode::Shared, "tag").unwrap();
    assert!(PgStore::open(&url, LockMode::Exclusive, "produce").is_err());
    drop((a, b));
    assert!(PgStore::open(&url, LockMode::Exclusive, "produce").is_ok());
}
