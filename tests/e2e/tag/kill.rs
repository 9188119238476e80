//! One `tag --from` is one transaction: killed at any moment, the matter holds
//! either all of the sheet or none of it.

use super::tag_code;
use crate::util::TestMatter;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

const DOCS: usize = 20_000;
const KILLS: usize = 6;

/// How many documents hold each description (`None`: no description), from
/// `adrec docs --format json`.
fn descriptions(m: &TestMatter) -> BTreeMap<Option<String>, usize> {
    #[derive(serde::Deserialize)]
    struct Doc {
        description: Option<String>,
    }
    let out = m.cmd().args(["docs", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let docs: Vec<Doc> = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = BTreeMap::new();
    for d in docs {
        *counts.entry(d.description).or_default() += 1;
    }
    counts
}

fn history_len(m: &TestMatter, id: &str) -> usize {
    m.json(&["show", id])["history"]
        .as_array()
        .map_or(0, Vec::len)
}

/// `adrec tag --from SHEET` started in the matter, not waited for.
fn spawn_tag(m: &TestMatter, sheet: &std::path::Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_adrec"))
        .current_dir(&m.root)
        .env_remove("ADREC_MATTER")
        .env("USER", "tester")
        .arg("tag")
        .arg("--from")
        .arg(sheet)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// A small deterministic generator, seeded from the clock (the seed is printed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn killed_half_way_the_matter_holds_all_or_nothing() {
    let m = TestMatter::new("mpp-order");
    let files = m.scratch("files");
    for i in 0..DOCS {
        std::fs::write(files.join(format!("{i:05}.txt")), format!("document {i}\n")).unwrap();
    }
    m.cmd().arg("ingest").arg(&files).assert().success();
    let sheets = m.scratch("sheets");
    let write_sheet = |round: usize| {
        let mut text = String::from("docid,status,category,description,note\n");
        for i in 1..=DOCS {
            writeln!(
                text,
                "DOC-{i:06},produce,1,round {round},seen in round {round}"
            )
            .unwrap();
        }
        let path = sheets.join(format!("round{round}.csv"));
        std::fs::write(&path, text).unwrap();
        path
    };

    // Round 0 runs to the end, to learn how long a whole run takes.
    let started = Instant::now();
    tag_code(&m, &["--from", write_sheet(0).to_str().unwrap()], 0);
    let full = started.elapsed();
    let mut committed = 0;
    let mut committed_rounds = 0;
    assert_eq!(
        descriptions(&m),
        BTreeMap::from([(Some("round 0".to_string()), DOCS)])
    );

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("kill test: a full run takes {full:?}; seed {seed}");
    let mut rng = Lcg(seed);
    let mut outcomes = Vec::new();
    for round in 1..=KILLS {
        let sheet = write_sheet(round);
        let mut child = spawn_tag(&m, &sheet);
        // Anywhere from reading the sheet to committing.
        let delay = full.mul_f64((rng.next() % 1000) as f64 / 1000.0 * 1.1);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();

        let counts = descriptions(&m);
        assert_eq!(
            counts.len(),
            1,
            "round {round} killed after {delay:?} left a mixed matter: {counts:?}"
        );
        let (holds, n) = counts.into_iter().next().unwrap();
        assert_eq!(n, DOCS);
        let holds = holds.unwrap();
        assert!(
            holds == format!("round {committed}") || holds == format!("round {round}"),
            "round {round}: the matter holds {holds:?}"
        );
        if holds == format!("round {round}") {
            committed = round;
            committed_rounds += 1;
        }
        outcomes.push((delay, status.code(), holds));
        // History went with the change, never without it: round 0 wrote four
        // entries (status, category, description, note), each later round that
        // committed two (description, note).
        assert_eq!(
            history_len(&m, "DOC-010000"),
            4 + 2 * committed_rounds,
            "round {round}"
        );
    }
    eprintln!("kill test outcomes (delay, exit, matter holds): {outcomes:?}");

    // The lock died with the killed process: the next run applies the last sheet.
    tag_code(&m, &["--from", write_sheet(99).to_str().unwrap()], 0);
    assert_eq!(
        descriptions(&m),
        BTreeMap::from([(Some("round 99".to_string()), DOCS)])
    );
}

/// Thirty kills of a smaller sheet. On PostgreSQL every other kill waits
/// until the server shows the sheet's transaction has written rows, so the
/// client dies with its transaction open; the others land anywhere.
#[test]
fn thirty_kills_mid_sheet_never_leave_half_a_sheet() {
    const DOCS: usize = 2_000;
    const KILLS: usize = 30;
    let m = TestMatter::new("mpp-order");
    let files = m.scratch("files");
    for i in 0..DOCS {
        std::fs::write(files.join(format!("{i:05}.txt")), format!("document {i}\n")).unwrap();
    }
    m.cmd().arg("ingest").arg(&files).assert().success();
    let sheets = m.scratch("sheets");
    let write_sheet = |round: usize| {
        let mut text = String::from("docid,status,category,description\n");
        for i in 1..=DOCS {
            writeln!(text, "DOC-{i:06},produce,1,round {round}").unwrap();
        }
        let path = sheets.join(format!("round{round}.csv"));
        std::fs::write(&path, text).unwrap();
        path
    };
    let started = Instant::now();
    tag_code(&m, &["--from", write_sheet(0).to_str().unwrap()], 0);
    let full = started.elapsed();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("thirty kills: a full run takes {full:?}; seed {seed}");
    let mut rng = Lcg(seed);
    let mut committed = 0;
    let (mut open_transactions, mut rolled_back) = (0, 0);
    for round in 1..=KILLS {
        let sheet = write_sheet(round);
        let mut child = spawn_tag(&m, &sheet);
        let mid_transaction = match &m.db {
            Some(db) if round % 2 == 0 => {
                let mut admin = crate::util::pg_client(&db.name);
                let mut seen = false;
                while child.try_wait().unwrap().is_none() {
                    let rows = admin
                        .query(
                            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'adrec' AND backend_xid IS NOT NULL",
                            &[],
                        )
                        .unwrap();
                    if !rows.is_empty() {
                        seen = true;
                        break;
                    }
                }
                seen
            }
            _ => {
                std::thread::sleep(full.mul_f64((rng.next() % 1000) as f64 / 1000.0 * 1.1));
                false
            }
        };
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let counts = descriptions(&m);
        assert_eq!(
            counts.len(),
            1,
            "round {round} left a mixed matter: {counts:?}"
        );
        let holds = counts.into_keys().next().unwrap().unwrap();
        if holds == format!("round {round}") {
            committed = round;
        } else {
            assert_eq!(holds, format!("round {committed}"), "round {round}");
            rolled_back += usize::from(status.code().is_none());
        }
        open_transactions += usize::from(mid_transaction);
    }
    eprintln!(
        "thirty kills: {rolled_back} rolled back, {open_transactions} killed with the transaction open on the server"
    );
    if m.db.is_some() {
        assert!(
            open_transactions > 0,
            "no kill landed inside the transaction"
        );
    }
    // The lock died with the killed processes.
    tag_code(&m, &["--from", write_sheet(99).to_str().unwrap()], 0);
    assert_eq!(
        descriptions(&m),
        BTreeMap::from([(Some("round 99".to_string()), DOCS)])
    );
}
