//! Connecting to a shared matter's PostgreSQL server: the URL from
//! `adrec.toml` (never with a password), the password from `PGPASSWORD` or
//! `~/.pgpass` (as libpq finds them), and errors that say what to do.

use crate::error::Error;
use postgres::config::Host;
use postgres::{Client, Config, NoTls};
use std::path::PathBuf;

/// Refuses a URL that is not PostgreSQL's or that carries a password (it
/// would end up in `adrec.toml`).
pub fn check_url(url: &str) -> Result<Config, Error> {
    let hint = "write it as postgres://HOST/DATABASE or postgres://USER@HOST:PORT/DATABASE (a socket folder: postgres:///DATABASE?host=/run/postgresql)";
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(Error::input(format!("{url:?} is not a PostgreSQL URL")).hint(hint));
    }
    let config: Config = url
        .parse()
        .map_err(|e| Error::input(format!("{url:?} is not a PostgreSQL URL: {e}")).hint(hint))?;
    if config.get_password().is_some() {
        return Err(Error::input(
            "the database URL contains a password, which adrec would write into adrec.toml",
        )
        .hint(
            "remove it from the URL and set PGPASSWORD, or put it in ~/.pgpass (or a service file)",
        ));
    }
    if config.get_dbname().is_none() {
        return Err(Error::input(format!("{url:?} names no database")).hint(hint));
    }
    Ok(config)
}

/// Opens a connection, with the password from the environment when the
/// server asks for one.
pub fn connect(url: &str) -> Result<Client, Error> {
    let mut config = check_url(url)?;
    let user = config
        .get_user()
        .map(str::to_string)
        .or_else(|| std::env::var("PGUSER").ok())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "postgres".into());
    config.user(&user);
    if config.get_hosts().is_empty() {
        config.host_path("/var/run/postgresql");
    }
    if config.get_ports().is_empty()
        && let Some(port) = std::env::var("PGPORT").ok().and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if let Some(password) = std::env::var("PGPASSWORD")
        .ok()
        .or_else(|| pgpass_lookup(&config, &user))
    {
        config.password(password);
    }
    config.application_name("adrec");
    config.connect_timeout(std::time::Duration::from_secs(10));
    config.connect(NoTls).map_err(|e| connect_error(url, &e))
}

fn host_text(config: &Config) -> String {
    match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    }
}

/// `~/.pgpass` (or `PGPASSFILE`): `host:port:database:user:password` lines,
/// `*` matching anything, the first match wins, as libpq reads it.
fn pgpass_lookup(config: &Config, user: &str) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Unix(_)) | None => "localhost".to_string(),
        Some(Host::Tcp(h)) => h.clone(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default();
    pgpass_match(&text, [&host, &port, db, user])
}

fn pgpass_match(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

/// Splits on unescaped `:`; `\:` and `\\` are literal.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next()
                    && let Some(s) = out.last_mut()
                {
                    s.push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            _ => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out
}

/// A connection failure in words a team's administrator can act on.
pub fn connect_error(url: &str, e: &postgres::Error) -> Error {
    use postgres::error::SqlState;
    let url_shown = url.split('?').next().unwrap_or(url);
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return Error::internal(format!(
                "PostgreSQL refused the login to {url_shown}: {}",
                db.message()
            ))
            .hint("set PGPASSWORD or add the password to ~/.pgpass (never to adrec.toml), and check the user name in the URL");
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return Error::internal(format!(
                "the database in {url_shown} does not exist: {}",
                db.message()
            ))
            .hint("ask the administrator to create it (e.g. `createdb NAME`), or fix the name in adrec.toml's [database] url");
        }
        return Error::internal(format!("PostgreSQL error at {url_shown}: {}", db.message()))
            .hint("nothing was changed; check the server's log");
    }
    let host = url
        .parse::<Config>()
        .map(|c| host_text(&c))
        .unwrap_or_default();
    Error::internal(format!(
        "cannot reach the PostgreSQL server of {url_shown} ({host}): {e}"
    ))
    .hint("check that the server is running and reachable from this machine, and that the URL's host and port are right; nothing was changed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_with_a_password_or_no_database_is_refused() {
        assert!(check_url("postgres://team@db.example/matter").is_ok());
        assert!(check_url("postgresql:///matter?host=/run/postgresql").is_ok());
        let err = check_url("postgres://team:secret@db.example/matter")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("password"), "{err}");
        assert!(!err.contains("secret"), "never echo the password: {err}");
        assert!(check_url("mysql://db/matter").is_err());
        assert!(check_url("postgres://db.example").is_err());
    }

    #[test]
    fn pgpass_lines_match_like_libpq() {
        let text = "# comment\n\
                    other:5432:matter:team:wrong\n\
                    db.example:5432:matter:team:pa\\:ss\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_match(text, ["db.example", "5432", "matter", "team"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_match(text, ["elsewhere", "5433", "x", "y"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_match("a:b:c:d:e\n", ["x", "b", "c", "d"]), None);
    }
}
