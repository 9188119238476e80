//! Shared matters on PostgreSQL: migration from SQLite, reviewers tagging at
//! once, `produce` racing from two machines, and the server going away in
//! the middle of a command. These need a server: they run when the test run
//! names one (`ADREC_TEST_PG_HOST`, as `.ci/run`'s second pass does) and say
//! "skipped" otherwise.

use crate::tag::ingest_corpus;
use crate::util::{TestDatabase, TestMatter, copy_tree, pg_client, pg_content, text};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn server_matter(template: &str) -> Option<TestMatter> {
    let m = TestMatter::on_server(template);
    if m.is_none() {
        eprintln!("skipped: set ADREC_TEST_PG_HOST (and _PORT) to run the shared-matter tests");
    }
    m
}

fn produce_ok(m: &TestMatter, volume: &str) {
    let out = m
        .cmd()
        .args(["produce", volume, "--date", "2024-04-19"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{volume}: {:?}", text(&out));
}

fn tag_ok(m: &TestMatter, args: &[&str]) {
    let out = m.cmd().arg("tag").args(args).output().unwrap();
    assert!(out.status.success(), "tag {args:?}: {:?}", text(&out));
}

/// adrec started in `dir` as `user`, not waited for.
fn spawn(dir: &Path, user: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_adrec"))
        .current_dir(dir)
        .env_remove("ADREC_MATTER")
        .env("USER", user)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every document with its full `show` record: what a migration must keep.
fn everything(m: &TestMatter) -> Vec<Value> {
    m.docs()
        .iter()
        .map(|d| m.json(&["show", d["docid"].as_str().unwrap()]))
        .collect()
}

#[test]
fn migration_copies_every_table_exactly_and_leaves_the_sqlite_file() {
    if crate::util::pg_url("postgres").is_none() {
        eprintln!("skipped: set ADREC_TEST_PG_HOST (and _PORT) to run the shared-matter tests");
        return;
    }
    let m = TestMatter::on_sqlite("mpp-order");
    ingest_corpus(&m);
    // --family: DOC-000001 is an e-mail whose two attachments go out with it.
    tag_ok(
        &m,
        &[
            "DOC-000001",
            "DOC-000002",
            "--family",
            "--status",
            "produce",
            "--category",
            "1",
            "--note",
            "first pass",
        ],
    );
    tag_ok(
        &m,
        &[
            "DOC-000003",
            "--status",
            "withhold",
            "--privilege",
            "AC",
            "--description",
            "draft memo",
            "--category",
            "2",
            "--doc-date",
            "undated",
            "--doc-type",
            "Memo",
            "--author",
            "Unknown",
            "--recipients",
            "None",
        ],
    );
    produce_ok(&m, "VOL001");
    let before = everything(&m);
    let sqlite = m.root.join(".adrec/adrec.db");
    let sqlite_bytes = std::fs::read(&sqlite).unwrap();
    let config_before = std::fs::read_to_string(m.root.join("adrec.toml")).unwrap();

    let db = TestDatabase::new();
    let report = m.json(&["migrate-to-postgres", &db.url]);
    let tables = report.as_array().expect("a list of tables");

    // The counts adrec reports are the counts an independent client sees.
    let mut client = pg_client(&db.name);
    let mut documents = 0;
    for t in tables {
        let name = t["table"].as_str().unwrap();
        let rows = t["rows"].as_u64().unwrap();
        assert_eq!(t["sha256"].as_str().map(str::len), Some(64), "{t}");
        let counted: i64 = client
            .query_one(&format!("SELECT count(*) FROM {name}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(counted as u64, rows, "table {name}");
        if name == "documents" {
            documents = rows;
        }
    }
    // The corpus's eight files and the two attachments of attachments.eml.
    assert_eq!(documents, 10);
    assert!(
        tables
            .iter()
            .any(|t| t["table"] == "history" && t["rows"].as_u64() > Some(5))
    );

    assert_eq!(
        std::fs::read(&sqlite).unwrap(),
        sqlite_bytes,
        "the SQLite file is left as it was"
    );
    let config = std::fs::read_to_string(m.root.join("adrec.toml")).unwrap();
    assert!(
        config.starts_with(&config_before)
            && config.contains("[database]")
            && config.contains(&db.url)
    );
    assert_eq!(
        everything(&m),
        before,
        "every document reads back the same from the server"
    );

    // Numbering continues on the server after the volume made on SQLite.
    tag_ok(
        &m,
        &["DOC-000004", "--status", "produce", "--category", "1"],
    );
    produce_ok(&m, "VOL002");
    let dat =
        |v: &str| std::fs::read(m.root.join(format!("productions/{v}/DATA/{v}.dat"))).unwrap();
    let last_of_first = crate::produce::read_dat(&dat("VOL001"))
        .iter()
        .filter_map(|r| r["ENDBATES"].get(8..)?.parse::<u64>().ok())
        .max()
        .unwrap();
    let first_of_second = crate::produce::read_dat(&dat("VOL002"))
        .iter()
        .filter_map(|r| r["BEGBATES"].get(8..)?.parse::<u64>().ok())
        .min()
        .unwrap();
    assert_eq!(first_of_second, last_of_first + 1);

    // A second matter is never poured into a database that holds one.
    let other = TestMatter::on_sqlite("mpp-order");
    ingest_corpus(&other);
    let server_before = pg_content(&db.name);
    let other_config = std::fs::read_to_string(other.root.join("adrec.toml")).unwrap();
    let out = other
        .cmd()
        .args(["migrate-to-postgres", &db.url])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not empty") && stderr.contains("nothing was copied"),
        "{stderr}"
    );
    assert_eq!(pg_content(&db.name), server_before);
    assert_eq!(
        std::fs::read_to_string(other.root.join("adrec.toml")).unwrap(),
        other_config
    );
}

#[test]
fn reviewers_tagging_at_once_keep_every_change_in_the_history() {
    let Some(m) = server_matter("mpp-order") else {
        return;
    };
    ingest_corpus(&m);
    let ids: Vec<String> = m
        .docs()
        .iter()
        .map(|d| d["docid"].as_str().unwrap().to_string())
        .collect();
    let sheets = m.scratch("sheets");
    const REVIEWERS: usize = 8;
    let mut children = Vec::new();
    for r in 0..REVIEWERS {
        let mut sheet = String::from("docid,description,note\n");
        for id in &ids {
            writeln!(sheet, "{id},seen by reviewer {r},note from reviewer {r}").unwrap();
        }
        let path = sheets.join(format!("r{r}.csv"));
        std::fs::write(&path, sheet).unwrap();
        children.push(spawn(
            &m.root,
            &format!("reviewer{r}"),
            &["tag", "--from", path.to_str().unwrap()],
        ));
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{:?}", text(&out));
    }
    for id in &ids {
        let shown = m.json(&["show", id]);
        let history = shown["history"].as_array().unwrap();
        let descriptions: Vec<&Value> = history
            .iter()
            .filter(|e| e["field"] == "description")
            .collect();
        let notes: BTreeSet<&str> = history
            .iter()
            .filter(|e| e["field"] == "note")
            .map(|e| e["new_value"].as_str().unwrap())
            .collect();
        // Nobody's change vanished: each reviewer's description and note is
        // in the history under their name, and the last one written holds.
        assert_eq!(descriptions.len(), REVIEWERS, "{id}: {history:?}");
        assert_eq!(notes.len(), REVIEWERS, "{id}");
        for r in 0..REVIEWERS {
            assert!(
                descriptions
                    .iter()
                    .any(|e| e["actor"] == format!("reviewer{r}")
                        && e["new_value"] == format!("seen by reviewer {r}")),
                "{id}: reviewer {r} missing"
            );
        }
        let last = descriptions.last().unwrap();
        assert_eq!(
            shown["description"], last["new_value"],
            "{id}: the later change wins"
        );
    }
}

/// Every Bates number in the volumes under `dir/productions`.
fn bates_numbers(dir: &Path, numbers: &mut Vec<u64>) {
    let Ok(volumes) = std::fs::read_dir(dir.join("productions")) else {
        return;
    };
    for v in volumes {
        let v = v.unwrap().path();
        let name = v.file_name().unwrap().to_str().unwrap().to_string();
        let dat = std::fs::read(v.join(format!("DATA/{name}.dat"))).unwrap();
        for row in crate::produce::read_dat(&dat) {
            let first: u64 = row["BEGBATES"][8..].parse().unwrap();
            let last: u64 = row["ENDBATES"][8..].parse().unwrap();
            numbers.extend(first..=last);
        }
    }
}

#[test]
fn produce_racing_from_two_machines_never_issues_a_number_twice() {
    let Some(m) = server_matter("mpp-order") else {
        return;
    };
    ingest_corpus(&m);
    // A second reviewer's machine: its own folder, the same database.
    let other = m.scratch("other-machine").join("matter");
    copy_tree(&m.root, &other);
    let mut outcomes = Vec::new();
    for (round, id) in [
        "DOC-000001",
        "DOC-000002",
        "DOC-000003",
        "DOC-000004",
        "DOC-000007",
    ]
    .iter()
    .enumerate()
    {
        tag_ok(
            &m,
            &[id, "--family", "--status", "produce", "--category", "1"],
        );
        let a = spawn(
            &m.root,
            "alice",
            &["produce", &format!("VOL{round}01"), "--date", "2024-04-19"],
        );
        let b = spawn(
            &other,
            "bob",
            &["produce", &format!("VOL{round}02"), "--date", "2024-04-19"],
        );
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = (a.status.code(), b.status.code());
        // One of them numbers the document; the other either found the lock
        // taken (exit 3, naming the holder) or came second with nothing left.
        let (winner, loser) = match codes {
            (Some(0), _) => ("alice", &b),
            (_, Some(0)) => ("bob", &a),
            _ => panic!(
                "round {round}: neither produced: {:?} {:?}",
                text(&a),
                text(&b)
            ),
        };
        let (_, loser_err) = text(loser);
        match loser.status.code() {
            Some(3) => assert!(
                loser_err.contains("produce") && loser_err.contains(winner),
                "the lock message names the holder: {loser_err}"
            ),
            Some(1) => assert!(loser_err.contains("Nothing to produce"), "{loser_err}"),
            c => panic!("round {round}: the second produce exited {c:?}: {loser_err}"),
        }
        outcomes.push(codes);
    }
    eprintln!("race outcomes (alice, bob): {outcomes:?}");
    let mut numbers = Vec::new();
    bates_numbers(&m.root, &mut numbers);
    bates_numbers(&other, &mut numbers);
    numbers.sort();
    let unique: BTreeSet<u64> = numbers.iter().copied().collect();
    assert_eq!(
        unique.len(),
        numbers.len(),
        "a Bates number was issued twice: {numbers:?}"
    );
    let expected: BTreeSet<u64> = (1..=numbers.len() as u64).collect();
    assert_eq!(
        unique, expected,
        "numbers run on without gaps across both machines"
    );

    // Each machine still reads the matter, whoever made the volumes.
    for dir in [&m.root, &other] {
        let out = Command::new(env!("CARGO_BIN_EXE_adrec"))
            .current_dir(dir)
            .env_remove("ADREC_MATTER")
            .args(["status"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    }
}

/// The pid of the adrec session on `db` once `ready` says so (polling the
/// server's activity view), or None if the command finished first.
fn wait_for_session(db: &str, child: &mut Child, ready: &str) -> Option<i32> {
    let mut admin = pg_client(db);
    let sql = format!(
        "SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database() AND a.application_name = 'adrec' AND ({ready})"
    );
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Some(row) = admin.query(&sql, &[]).unwrap().first() {
            return Some(row.get(0));
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
    }
    None
}

fn terminate(db: &str, pid: i32) {
    pg_client(db)
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
}

#[test]
fn the_server_going_away_mid_sheet_is_exit_4_with_nothing_applied() {
    let Some(m) = server_matter("mpp-order") else {
        return;
    };
    let db = m.db.as_ref().unwrap().name.clone();
    let files = m.scratch("files");
    const DOCS: usize = 5_000;
    for i in 0..DOCS {
        std::fs::write(files.join(format!("{i:05}.txt")), format!("document {i}\n")).unwrap();
    }
    m.cmd().arg("ingest").arg(&files).assert().success();
    let mut sheet = String::from("docid,status,category,description,note\n");
    for i in 1..=DOCS {
        writeln!(sheet, "DOC-{i:06},produce,1,all at once,a note").unwrap();
    }
    let path = m.scratch("sheets").join("sheet.csv");
    std::fs::write(&path, sheet).unwrap();

    let mut interrupted = 0;
    let mut tries = 0;
    while interrupted < 3 && tries < 20 {
        tries += 1;
        let before = pg_content(&db);
        let mut child = spawn(
            &m.root,
            "tester",
            &["tag", "--from", path.to_str().unwrap()],
        );
        // Cut the session once its transaction has written something.
        let Some(pid) = wait_for_session(&db, &mut child, "a.backend_xid IS NOT NULL") else {
            panic!(
                "tag finished before its transaction was seen: {:?}",
                text(&child.wait_with_output().unwrap())
            );
        };
        terminate(&db, pid);
        let out = child.wait_with_output().unwrap();
        let (_, stderr) = text(&out);
        if out.status.code() == Some(0) {
            // The commit got there first: all of it, and the next try starts over.
            assert!(m.docs().iter().all(|d| d["description"] == "all at once"));
            tag_ok(&m, &["--from", path.to_str().unwrap(), "--dry-run"]);
            continue;
        }
        assert_eq!(out.status.code(), Some(4), "{stderr}");
        assert!(
            stderr.contains("connection to the PostgreSQL server was lost")
                && stderr.contains("nothing was changed"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            pg_content(&db),
            before,
            "try {tries}: nothing of the sheet was applied"
        );
        interrupted += 1;
    }
    assert!(
        interrupted >= 1,
        "no try was cut mid-transaction in {tries} tries"
    );
}

/// The corpus, with four documents (and their families) tagged to go out.
fn ingest_and_tag_a_volume(m: &TestMatter) {
    ingest_corpus(m);
    tag_ok(
        m,
        &[
            "DOC-000001",
            "DOC-000002",
            "DOC-000003",
            "DOC-000008",
            "--family",
            "--status",
            "produce",
            "--category",
            "1",
        ],
    );
}

#[test]
fn the_server_going_away_mid_produce_is_exit_4_and_consumes_no_number() {
    let Some(m) = server_matter("mpp-order") else {
        return;
    };
    let db = m.db.as_ref().unwrap().name.clone();
    ingest_and_tag_a_volume(&m);
    let before = pg_content(&db);
    let mut child = spawn(
        &m.root,
        "tester",
        &["produce", "VOL001", "--date", "2024-04-19"],
    );
    // The session that holds the matter's exclusive lock is producing.
    let pid = wait_for_session(
        &db,
        &mut child,
        "EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock')",
    )
    .expect("produce finished before its lock was seen");
    terminate(&db, pid);
    let out = child.wait_with_output().unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("connection to the PostgreSQL server was lost"),
        "{stderr}"
    );
    assert!(
        !m.root.join("productions/VOL001").exists(),
        "no volume is published"
    );
    assert_eq!(pg_content(&db), before, "no volume, no number recorded");

    // The next produce issues the very first number.
    m.produce_ok("VOL001");
    let mut numbers = Vec::new();
    bates_numbers(&m.root, &mut numbers);
    assert_eq!(numbers.iter().min(), Some(&1));
    let counts: BTreeMap<u64, usize> = numbers.iter().fold(BTreeMap::new(), |mut c, n| {
        *c.entry(*n).or_default() += 1;
        c
    });
    assert!(counts.values().all(|&c| c == 1));
}

/// A commit that fails at the last moment. Refused by a server that still
/// answers (here a deferred check), the volume is plainly not recorded: its
/// staged files go and the error stands. Cut with the session (here the
/// session ends itself as it commits), the answer is lost, and in life the
/// server may have committed: the staged files are kept, the hint says the
/// store decides, and the next command that changes the matter settles it.
#[test]
fn a_commit_that_fails_leaves_the_staged_volume_to_what_the_store_says() {
    let Some(m) = server_matter("mpp-order") else {
        return;
    };
    let db = m.db.as_ref().unwrap().name.clone();
    ingest_and_tag_a_volume(&m);
    let staged = m.root.join("productions/.VOL001.partial");
    let produce = || {
        let out = m
            .cmd()
            .args(["produce", "VOL001", "--date", "2024-04-19"])
            .output()
            .unwrap();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(4), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!m.root.join("productions/VOL001").exists(), "{stderr}");
        stderr
    };
    let mut admin = pg_client(&db);
    let before = pg_content(&db);

    admin
        .batch_execute(
            "CREATE FUNCTION refuse_volume() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
             CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON volumes
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_volume();",
        )
        .unwrap();
    let refused = produce();
    assert!(refused.contains("refused at commit"), "{refused}");
    assert!(refused.contains("nothing was changed"), "{refused}");
    assert!(!staged.exists(), "not recorded, so not kept");
    assert_eq!(pg_content(&db), before);

    admin
        .batch_execute(
            "DROP TRIGGER at_commit ON volumes;
             CREATE FUNCTION end_session() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); RETURN NULL; END $$;
             CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON volumes
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION end_session();",
        )
        .unwrap();
    let cut = produce();
    assert!(
        cut.contains("connection to the PostgreSQL server was lost"),
        "{cut}"
    );
    assert!(
        cut.contains("did not confirm whether VOL001 was recorded"),
        "{cut}"
    );
    assert!(!cut.contains("nothing was changed"), "{cut}");
    assert!(
        staged.join("SHA256SUMS").is_file(),
        "kept for the store to decide"
    );
    assert_eq!(pg_content(&db), before, "this server recorded nothing");
    // A reader leaves it: it holds no lock, and a produce may be writing it.
    m.cmd().args(["status", "--json"]).output().unwrap();
    assert!(staged.is_dir());

    // The next writer finds it unrecorded, removes it and issues number 1.
    admin
        .batch_execute("DROP TRIGGER at_commit ON volumes")
        .unwrap();
    m.produce_ok("VOL001");
    assert!(!staged.exists());
    let mut numbers = Vec::new();
    bates_numbers(&m.root, &mut numbers);
    assert_eq!(numbers.iter().min(), Some(&1));
}
