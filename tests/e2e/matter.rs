//! init, templates, adrec.toml validation, matter discovery and the write lock.

use crate::util::*;
use predicates::prelude::*;

#[test]
fn templates_lists_the_three_bundled_templates() {
    let out = adrec()
        .arg("templates")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for name in ["generic", "apa-record", "mpp-order"] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
}

#[test]
fn init_works_from_any_folder_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    // Run from a folder far from the source tree: templates are built in.
    adrec()
        .current_dir(dir.path())
        .args(["init", "m", "--template", "mpp-order"])
        .assert()
        .success();
    let toml = std::fs::read_to_string(dir.path().join("m/adrec.toml")).unwrap();
    assert!(toml.contains("Communications and agreements with the Mexican government"));
    assert!(toml.contains("2024-04-19"));
    assert!(dir.path().join("m/.adrec/adrec.db").is_file());

    std::fs::write(dir.path().join("m/adrec.toml"), "# edited by counsel\n").unwrap();
    adrec()
        .current_dir(dir.path())
        .args(["init", "m"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m/adrec.toml")).unwrap(),
        "# edited by counsel\n"
    );

    adrec()
        .current_dir(dir.path())
        .args(["init", "n", "--template", "nope"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no template named")
                .and(predicate::str::contains("mpp-order")),
        );
}

#[test]
fn every_template_key_is_documented() {
    for name in ["generic", "apa-record", "mpp-order"] {
        let dir = tempfile::tempdir().unwrap();
        adrec()
            .current_dir(dir.path())
            .args(["init", "m", "--template", name])
            .assert()
            .success();
        let toml = std::fs::read_to_string(dir.path().join("m/adrec.toml")).unwrap();
        let lines: Vec<&str> = toml.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with('[') {
                continue;
            }
            // A key line must follow a comment, or a table/earlier key whose
            // comment names it (keys of repeated tables are documented once).
            let key = t.split('=').next().unwrap().trim();
            let documented = lines[..i]
                .iter()
                .rev()
                .take_while(|l| !l.trim().is_empty())
                .any(|l| l.trim().starts_with('#'))
                || lines[..i]
                    .iter()
                    .any(|l| l.trim().starts_with('#') && l.contains(key))
                || toml
                    .lines()
                    .filter(|l| l.trim().starts_with('#'))
                    .any(|l| l.contains(&format!("{key} ")) || l.contains(&format!("{key})")));
            assert!(
                documented,
                "{name}: key `{key}` (line {}) has no comment",
                i + 1
            );
        }
    }
}

/// Writes adrec.toml with one line replaced and runs `docs` (which reads it).
fn with_config(edit: impl Fn(String) -> String) -> (i32, String) {
    let m = TestMatter::new("mpp-order");
    let path = m.root.join("adrec.toml");
    let text = edit(std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, text).unwrap();
    let out = m.cmd().arg("docs").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_configuration_is_refused_with_the_key_and_a_fix() {
    type Edit = Box<dyn Fn(String) -> String>;
    let cases: Vec<(&str, Edit, Vec<&str>)> = vec![
        (
            "unknown key",
            Box::new(|t: String| t.replace("width = 6", "width = 6\nwidht = 7")),
            vec!["widht", "adrec.toml"],
        ),
        (
            "space in prefix",
            Box::new(|t: String| t.replace("prefix = \"DHS-MPP-\"", "prefix = \"DHS MPP\"")),
            vec!["bates.prefix", "a space", "hint:"],
        ),
        (
            "en dash in prefix",
            Box::new(|t: String| t.replace("prefix = \"DHS-MPP-\"", "prefix = \"DHS\u{2013}MPP\"")),
            vec!["bates.prefix", "U+2013", "hyphen-minus"],
        ),
        (
            "duplicate category",
            Box::new(|t: String| t.replace("id = \"2\"", "id = \"1\"")),
            vec!["category[2].id", "used twice"],
        ),
        (
            "bad date",
            Box::new(|t: String| t.replace("date = \"2023-12-15\"", "date = \"2023-13-45\"")),
            vec!["deadline[2].date", "YYYY-MM-DD"],
        ),
        (
            "unknown confidentiality default",
            Box::new(|t: String| t.replace("default = \"\"", "default = \"SECRET\"")),
            vec!["confidentiality.default", "SECRET"],
        ),
    ];
    for (what, edit, expect) in cases {
        let (code, stderr) = with_config(edit);
        assert_eq!(code, 2, "{what}: exit code; stderr:\n{stderr}");
        for e in expect {
            assert!(stderr.contains(e), "{what}: expected {e:?} in:\n{stderr}");
        }
    }
}

#[test]
fn the_matter_is_found_like_git_finds_a_repository() {
    let m = TestMatter::new("generic");
    let sub = m.root.join("notes/deeper");
    std::fs::create_dir_all(&sub).unwrap();
    adrec().current_dir(&sub).arg("docs").assert().success();

    let elsewhere = m.scratch("elsewhere");
    adrec()
        .current_dir(&elsewhere)
        .arg("docs")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no adrec matter here"));
    adrec()
        .current_dir(&elsewhere)
        .env("ADREC_MATTER", &m.root)
        .arg("docs")
        .assert()
        .success();
    adrec()
        .current_dir(&elsewhere)
        .args(["--matter", m.root.to_str().unwrap(), "docs"])
        .assert()
        .success();
    adrec()
        .current_dir(&elsewhere)
        .args(["--matter", elsewhere.to_str().unwrap(), "docs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an adrec matter"));
}

#[test]
fn a_second_writer_gets_exit_3_naming_the_holder_and_readers_still_work() {
    let m = TestMatter::new("generic");
    let lock = m.hold_write_lock("pid 4242 running `adrec ingest`");

    let files = m.scratch("files");
    std::fs::write(files.join("a.txt"), "a").unwrap();
    m.cmd()
        .args(["ingest", files.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("pid 4242").and(predicate::str::contains("locked")));
    // Read-only commands neither wait for nor fail on the lock.
    m.cmd().arg("docs").assert().success();
    drop(lock);
    m.cmd()
        .args(["ingest", files.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(m.docs().len(), 1);
}

#[test]
fn unknown_flags_and_missing_arguments_are_usage_errors() {
    adrec().args(["ingest"]).assert().code(2);
    adrec().args(["docs", "--frobnicate"]).assert().code(2);
    adrec()
        .args(["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ingest"));
    adrec()
        .args(["ingest", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--follow-links"));
}
