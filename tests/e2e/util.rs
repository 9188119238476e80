//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The adrec binary, with no matter inherited from the environment.
pub fn adrec() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adrec"));
    cmd.env_remove("ADREC_MATTER").env("USER", "tester");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh matter in a temporary folder.
/// On the PostgreSQL backend its state lives in its own fresh database.
pub struct TestMatter {
    pub dir: TempDir,
    pub root: PathBuf,
    pub db: Option<TestDatabase>,
}

/// The key of the advisory lock adrec's writers take (src/matter/postgres).
const PG_WRITER_LOCK: i64 = 0x0061_6472_6563;

impl TestMatter {
    pub fn new(template: &str) -> TestMatter {
        Self::with_database(template, on_postgres())
    }

    /// A matter in the embedded SQLite file, whatever backend the run uses.
    pub fn on_sqlite(template: &str) -> TestMatter {
        Self::with_database(template, false)
    }

    /// A matter on the test PostgreSQL server, if the run names one.
    pub fn on_server(template: &str) -> Option<TestMatter> {
        pg_url("postgres").map(|_| Self::with_database(template, true))
    }

    fn with_database(template: &str, postgres: bool) -> TestMatter {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("matter");
        let db = postgres.then(TestDatabase::new);
        let mut init = adrec();
        init.args(["init", root.to_str().unwrap(), "--template", template]);
        if let Some(db) = &db {
            init.args(["--database", &db.url]);
        }
        init.assert().success();
        let root = root.canonicalize().unwrap();
        TestMatter { dir, root, db }
    }

    /// Everything the matter's database holds, to compare before and after
    /// a command that must change nothing. On PostgreSQL the note of who last
    /// held the writer lock is left out: on SQLite it lives in `.adrec/lock`,
    /// outside the database, and is not the matter's content either.
    pub fn state(&self) -> Vec<u8> {
        match &self.db {
            Some(db) => pg_content(&db.name).into_bytes(),
            None => std::fs::read(self.root.join(".adrec/adrec.db")).unwrap(),
        }
    }

    /// Holds the write lock the way another adrec would, with `holder` as
    /// the description it leaves for the next writer.
    pub fn hold_write_lock(&self, holder: &str) -> HeldLock {
        match &self.db {
            Some(db) => {
                let mut client = pg_client(&db.name);
                client
                    .execute("SELECT pg_advisory_lock($1)", &[&PG_WRITER_LOCK])
                    .unwrap();
                client
                    .execute(
                        "INSERT INTO writer_lock (id, holder, since) VALUES (1, $1, clock_timestamp()::text)
                         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, since = excluded.since",
                        &[&holder],
                    )
                    .unwrap();
                HeldLock::Server(Box::new(client))
            }
            None => {
                use std::io::Write;
                let mut lock = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(self.root.join(".adrec/lock"))
                    .unwrap();
                lock.try_lock().unwrap();
                lock.set_len(0).unwrap();
                lock.write_all(holder.as_bytes()).unwrap();
                HeldLock::File(lock)
            }
        }
    }

    /// A copy of the matter in `to` (its folder, and on PostgreSQL its
    /// database, which the copy's adrec.toml then names): another machine's
    /// or another try's matter. Keep the returned database while `to` is used.
    pub fn clone_to(&self, to: &Path) -> Option<TestDatabase> {
        copy_tree(&self.root, to);
        let db = self.db.as_ref()?;
        let copy = TestDatabase::from_template(Some(&db.name));
        let config = to.join("adrec.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(text.contains(&db.url), "adrec.toml names the database");
        std::fs::write(&config, text.replace(&db.url, &copy.url)).unwrap();
        Some(copy)
    }

    /// `produce VOLUME --date 2024-04-19`, which must succeed; its output.
    pub fn produce_ok(&self, volume: &str) -> std::process::Output {
        let out = self
            .cmd()
            .args(["produce", volume, "--date", "2024-04-19"])
            .output()
            .unwrap();
        assert!(out.status.success(), "produce {volume}: {:?}", text(&out));
        out
    }

    /// `adrec` run inside the matter folder.
    pub fn cmd(&self) -> Command {
        let mut cmd = adrec();
        cmd.current_dir(&self.root);
        cmd
    }

    /// Runs `adrec ARGS --json` and parses stdout, whatever the exit code.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .arg("--json")
            .output()
            .expect("run adrec");
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "adrec {args:?} --json did not print JSON ({e}); status {:?}\nstdout: {}\nstderr: {}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Every document as `docs --format json` prints it.
    pub fn docs(&self) -> Vec<Value> {
        self.json(&["docs"])
            .as_array()
            .cloned()
            .expect("docs prints an array")
    }

    /// A scratch folder beside the matter (not inside it).
    pub fn scratch(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }
}

/// Output of a finished command as text, for assertions with context.
pub fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The output of an external checker (sha256sum, qpdf, pdftotext…), failing
/// clearly when it is not installed.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{name}` is needed by this test ({e}); .ci/run installs it"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Headless Chromium's path. A test that needs it fails when it is missing
/// (`.ci/run` installs it), unless ADREC_SKIP_BROWSER=1, which skips it.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    if std::env::var("ADREC_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("skipped: chromium is not installed and ADREC_SKIP_BROWSER=1");
        return None;
    }
    panic!(
        "chromium is not installed: install it (`apt-get install -y chromium`, as .ci/run does) or set ADREC_SKIP_BROWSER=1 to skip this test"
    );
}

/// Runs headless Chromium with the flags CI uses, killing it after 120 s.
pub fn run_chromium(bin: &Path, profile: &Path, extra: &[String]) -> std::process::Output {
    let mut child = std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium could not be started");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "chromium did not finish within 120 s: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The DOM of a page as headless Chromium renders it (None when skipped).
pub fn chromium_dom(page: &Path) -> Option<String> {
    let bin = chromium()?;
    let profile = tempfile::tempdir().unwrap();
    let out = run_chromium(
        &bin,
        profile.path(),
        &[
            "--virtual-time-budget=2000".to_string(),
            "--dump-dom".to_string(),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The storage backend the e2e suite runs against: the embedded SQLite file
/// unless `ADREC_TEST_BACKEND=postgres`, which makes every `TestMatter` a
/// shared matter in a fresh database on the server named by
/// `ADREC_TEST_PG_HOST` (a host or socket folder) and `ADREC_TEST_PG_PORT`,
/// user `postgres` (`.ci/run` starts a throwaway cluster and sets them).
pub fn on_postgres() -> bool {
    let chosen = std::env::var("ADREC_TEST_BACKEND").as_deref() == Ok("postgres");
    assert!(
        !chosen || pg_url("postgres").is_some(),
        "ADREC_TEST_BACKEND=postgres needs ADREC_TEST_PG_HOST (and ADREC_TEST_PG_PORT)"
    );
    chosen
}

/// The URL of database `db` on the test server, if the run names one.
pub fn pg_url(db: &str) -> Option<String> {
    let host = std::env::var("ADREC_TEST_PG_HOST").ok()?;
    let port = std::env::var("ADREC_TEST_PG_PORT").unwrap_or_else(|_| "5432".into());
    Some(format!(
        "postgresql://postgres@/{db}?host={host}&port={port}"
    ))
}

/// A client for database `db` on the test server (tests use it to look at
/// the state and to play other servers' parts; adrec never sees it).
pub fn pg_client(db: &str) -> postgres::Client {
    let url = pg_url(db).expect("ADREC_TEST_PG_HOST names the test server");
    let mut config: postgres::Config = url.parse().unwrap();
    config.user("postgres");
    config
        .connect(postgres::NoTls)
        .expect("the test server answers")
}

/// A new, empty database on the test server (dropped with the guard).
pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    pub fn new() -> TestDatabase {
        Self::from_template(None)
    }

    /// An exact copy of `template` (which must have no open connections).
    pub fn from_template(template: Option<&str>) -> TestDatabase {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "adrec_e2e_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let sql = match template {
            Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
            None => format!("CREATE DATABASE {name}"),
        };
        let mut admin = pg_client("postgres");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin.batch_execute(&sql).unwrap();
        let url = pg_url(&name).unwrap();
        TestDatabase { name, url }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(mut admin) = pg_url("postgres").and_then(|u| {
            let mut c: postgres::Config = u.parse().ok()?;
            c.user("postgres");
            c.connect(postgres::NoTls).ok()
        }) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// [`pg_state`] without the writer-lock note (who last held the lock).
pub fn pg_content(db: &str) -> String {
    let mut out = String::new();
    let mut keep = true;
    for line in pg_state(db).lines() {
        if let Some(table) = line.strip_prefix("== ") {
            keep = table != "writer_lock";
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every row of every table of a database, in a stable order: what a test
/// compares to prove a command changed nothing.
pub fn pg_state(db: &str) -> String {
    let mut client = pg_client(db);
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("== {t}\n"));
        for row in client
            .query(&format!("SELECT t::text FROM {t} t ORDER BY 1"), &[])
            .unwrap()
        {
            let line: String = row.get(0);
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The write lock held by "another adrec", as a guard.
pub enum HeldLock {
    File(std::fs::File),
    Server(Box<postgres::Client>),
}

/// A seed for the random moments kill tests pick (never 0).
pub fn kill_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64)
        | 1
}

/// The next xorshift number from `state`: a moment in `0..=bound`.
pub fn next_moment(state: &mut u64, bound: u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % (bound + 1)
}

/// `sha256sum -c` of `dir/SHA256SUMS` passes (stdout and stderr if not).
/// `adrec audit VOLUME` in the matter finds nothing (exit 0).
pub fn audits_clean(m: &TestMatter, volume: &str) {
    let audit = m.cmd().args(["audit", volume]).output().unwrap();
    assert!(audit.status.success(), "{:?}", text(&audit));
}

pub fn sha256sums_ok(dir: &Path) -> Result<(), String> {
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("`sha256sum` is needed by this test ({e})"));
    if check.status.success() {
        Ok(())
    } else {
        Err(format!("{:?}", text(&check)))
    }
}

/// Runs `adrec ARGS` in `dir` and sends it SIGKILL after `delay` (it may
/// have finished by then); returns whether it exited successfully.
pub fn kill_after(dir: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_adrec"))
        .current_dir(dir)
        .env_remove("ADREC_MATTER")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL
    child.wait().is_ok_and(|s| s.success())
}

/// One kill trial, as [`kill_trials`] hands it to its checks.
pub struct Trial<'a> {
    pub n: usize,
    /// The trial's copy of the matter.
    pub dir: &'a Path,
    /// Whether the killed run had committed its volume.
    pub committed: bool,
    /// The volume of an uninterrupted run of the same command.
    pub reference: &'a Path,
}

/// The all-or-nothing harness the kill tests share. An uninterrupted run of
/// `args` on a copy of `m` is timed and kept as the reference; then, in
/// `ADREC_KILL_TRIALS` fresh copies (else `default_trials`), the command is
/// killed at a random moment within 1.2 times that run. After each kill,
/// `volume` is recorded (its index exports) or absent; `after_kill` sees the
/// trial then, an uncommitted one is run again to completion, and
/// `when_whole` checks the finished volume. Returns (killed before the
/// commit, after it).
pub fn kill_trials(
    m: &TestMatter,
    args: &[&str],
    volume: &str,
    default_trials: usize,
    mut after_kill: impl FnMut(&Trial<'_>),
    mut when_whole: impl FnMut(&Trial<'_>),
) -> (usize, usize) {
    let trials: usize = std::env::var("ADREC_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_trials);
    let work = tempfile::tempdir().unwrap();
    let timing = work.path().join("timing");
    let _timing_db = m.clone_to(&timing);
    let started = Instant::now();
    adrec().current_dir(&timing).args(args).assert().success();
    let full = started.elapsed();
    let reference = timing.join("productions").join(volume);
    let mut rng = kill_seed();
    let (mut before, mut after) = (0, 0);
    for n in 0..trials {
        let dir = work.path().join(format!("trial{n}"));
        let _db = m.clone_to(&dir);
        let delay = Duration::from_micros(next_moment(&mut rng, full.as_micros() as u64 * 12 / 10));
        kill_after(&dir, args, delay);
        let committed = adrec()
            .current_dir(&dir)
            .args(["export", "index", "--volume", volume])
            .output()
            .unwrap()
            .status
            .success();
        let trial = Trial {
            n,
            dir: &dir,
            committed,
            reference: &reference,
        };
        if committed {
            after += 1;
        } else {
            before += 1;
            assert!(
                !dir.join("productions").join(volume).exists(),
                "trial {n}: a volume folder without a record"
            );
        }
        after_kill(&trial);
        if !committed {
            adrec().current_dir(&dir).args(args).assert().success();
        }
        when_whole(&trial);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!(
        "{trials} trials: {before} killed before the commit, {after} after (full run {full:?})"
    );
    (before, after)
}

/// A finished volume is whole and byte-identical to the reference run's:
/// the same SHA256SUMS, and `sha256sum -c` passes.
pub fn same_checksums(trial: &Trial<'_>, volume: &str) {
    let got = trial.dir.join("productions").join(volume);
    assert_eq!(
        std::fs::read(got.join("SHA256SUMS")).unwrap(),
        std::fs::read(trial.reference.join("SHA256SUMS")).unwrap(),
        "trial {}",
        trial.n
    );
    if let Err(e) = sha256sums_ok(&got) {
        panic!("trial {}: {e}", trial.n);
    }
}
