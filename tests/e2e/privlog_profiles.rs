//! Privilege-log profiles (`[privilege_log]`): categorical counts that add
//! up to the itemized log's rows, metadata-only without DESCRIPTION,
//! redactions on the log, beside it or off it, and the names legend with the
//! attorneys marked `*`, in exports and in a produced volume.

use crate::produce::{Tagged, tagged_matter};
use crate::util::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Rows = Vec<BTreeMap<String, String>>;

pub(crate) fn read_csv_bytes(bytes: &[u8]) -> (Vec<String>, Rows) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV starts with a BOM");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The tagged matter with five privileged documents in four groups, produced.
fn logged_matter() -> Tagged {
    let t = tagged_matter();
    let withhold = |file: &str, date: &str, doc_type: &str, recipients: &str, description: &str| {
        let out =
            t.m.cmd()
                .args([
                    "tag",
                    &t.ids[file],
                    "--status",
                    "withhold",
                    "--category",
                    "1",
                    "--privilege",
                    "DP",
                    "--doc-date",
                    date,
                    "--doc-type",
                    doc_type,
                    "--author",
                    "Policy Office",
                    "--recipients",
                    recipients,
                    "--description",
                    description,
                ])
                .output()
                .unwrap();
        assert!(out.status.success(), "{file}: {:?}", text(&out));
    };
    withhold(
        "memo.pdf",
        "2019-03-01",
        "Memorandum",
        "To: Doe, John; Acting Secretary",
        "Draft options memorandum",
    );
    withhold(
        "owner.pdf",
        "2019-07-15",
        "Memorandum",
        "Office of the General Counsel",
        "Draft implementation memorandum",
    );
    withhold(
        "email.eml",
        "undated",
        "Email",
        "None",
        "Email discussing draft guidance",
    );
    let out =
        t.m.cmd()
            .args(["produce", "VOL001", "--date", "2024-04-19"])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    t
}

fn set_log(root: &Path, block: &str) {
    let config = root.join("adrec.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let base = text
        .split("\n# profile block\n")
        .next()
        .unwrap()
        .to_string();
    std::fs::write(&config, format!("{base}\n# profile block\n{block}\n")).unwrap();
}

fn export_log(t: &Tagged, name: &str) -> (Vec<String>, Rows) {
    let path = t.m.scratch("exports").join(name);
    let out =
        t.m.cmd()
            .args(["export", "privlog", "-o", path.to_str().unwrap()])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    read_csv_bytes(&std::fs::read(path).unwrap())
}

#[test]
fn categorical_counts_add_up_to_the_itemized_rows() {
    let t = logged_matter();
    let (_, itemized) = export_log(&t, "itemized.csv");
    assert_eq!(itemized.len(), 5, "five logged documents");
    set_log(&t.m.root, "[privilege_log]\nprofile = \"categorical\"");
    let (header, categorical) = export_log(&t, "categorical.csv");
    assert_eq!(
        header,
        [
            "ENTRY",
            "TREATMENT",
            "PRIVILEGE",
            "CATEGORY",
            "DOC_TYPE",
            "DATE_FROM",
            "DATE_TO",
            "DOCUMENTS",
            "BATES_RANGES",
            "LOG_IDS",
            "DESCRIPTION"
        ]
    );
    let total: u64 = categorical
        .iter()
        .map(|r| r["DOCUMENTS"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, itemized.len() as u64, "counts add up to the rows");

    // Each entry, counted independently from the itemized log.
    let key = |r: &BTreeMap<String, String>| {
        (
            r["TREATMENT"].clone(),
            r["PRIVILEGE"].clone(),
            r["CATEGORY"].clone(),
            r["DOC_TYPE"].clone(),
        )
    };
    let mut groups: BTreeMap<_, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for r in &itemized {
        groups.entry(key(r)).or_default().push(r);
    }
    assert_eq!(categorical.len(), groups.len(), "{categorical:?}");
    assert_eq!(categorical.len(), 4);
    for entry in &categorical {
        let members = &groups[&key(entry)];
        assert_eq!(entry["DOCUMENTS"], members.len().to_string(), "{entry:?}");
        for m in members {
            assert!(
                entry["BATES_RANGES"].contains(&m["BEGBATES"])
                    || entry["BATES_RANGES"]
                        .split("; ")
                        .any(|range| covers(range, &m["BEGBATES"])),
                "{} in {entry:?}",
                m["BEGBATES"]
            );
            assert!(
                entry["DESCRIPTION"].contains(&m["DESCRIPTION"]),
                "{entry:?}"
            );
        }
        let dates: BTreeSet<&str> = members.iter().map(|m| m["DOC_DATE"].as_str()).collect();
        if entry["DOC_TYPE"] == "Memorandum" && entry["CATEGORY"] == "1" {
            assert_eq!(dates.len(), 2);
            assert_eq!(entry["DATE_FROM"], "2019-03-01");
            assert_eq!(entry["DATE_TO"], "2019-07-15");
            assert_eq!(entry["DOCUMENTS"], "2");
        }
        if entry["DOC_TYPE"] == "Email" {
            assert_eq!(entry["DATE_FROM"], "Undated");
        }
    }
    // No value a reviewer did not enter: no title or file name of a withheld document.
    let all = std::fs::read_to_string(t.m.scratch("exports").join("categorical.csv")).unwrap();
    for leak in ["memo.pdf", "owner.pdf", "email.eml"] {
        assert!(!all.contains(leak), "{leak} in the categorical log");
    }
}

/// `A – B` covers `n` when n lies between them (same prefix and width).
fn covers(range: &str, n: &str) -> bool {
    let Some((a, b)) = range.split_once(" \u{2013} ") else {
        return range == n;
    };
    let num = |s: &str| s.rsplit('-').next().unwrap().parse::<u64>().unwrap();
    (num(a)..=num(b)).contains(&num(n))
}

#[test]
fn metadata_only_and_redaction_placement() {
    let t = logged_matter();
    let (_, itemized) = export_log(&t, "itemized.csv");
    set_log(&t.m.root, "[privilege_log]\nprofile = \"metadata-only\"");
    let (header, meta) = export_log(&t, "meta.csv");
    assert!(!header.contains(&"DESCRIPTION".to_string()), "{header:?}");
    assert_eq!(meta.len(), itemized.len());
    for (m, i) in meta.iter().zip(&itemized) {
        for (column, value) in m {
            assert_eq!(value, &i[column], "{column}");
        }
    }

    let redacted = itemized
        .iter()
        .filter(|r| r["TREATMENT"] == "Redacted")
        .count();
    assert_eq!(redacted, 1);
    set_log(&t.m.root, "[privilege_log]\nredactions = \"separate\"");
    let (_, main) = export_log(&t, "separate.csv");
    assert_eq!(main.len(), itemized.len() - redacted);
    assert!(main.iter().all(|r| r["TREATMENT"] == "Withheld in Full"));
    let beside = t.m.scratch("exports").join("separate_redaction_log.csv");
    let (_, side) = read_csv_bytes(&std::fs::read(&beside).expect("redaction log beside"));
    assert_eq!(side.len(), redacted);
    assert_eq!(side[0]["TREATMENT"], "Redacted");

    set_log(&t.m.root, "[privilege_log]\nredactions = \"none\"");
    let (_, none) = export_log(&t, "none.csv");
    assert_eq!(none.len(), itemized.len() - redacted);
    assert!(
        !t.m.scratch("exports")
            .join("none_redaction_log.csv")
            .exists()
    );
}

#[test]
fn names_legend_marks_attorneys_in_the_log_and_the_volume() {
    let t = logged_matter();
    let people = "[[person]]\nname = \"Office of the General Counsel\"\nrole = \"Agency counsel\"\nattorney = true\n\n[[person]]\nname = \"Doe, John\"\nrole = \"Deputy General Counsel\"\nattorney = true\n\n[[person]]\nname = \"Acting Secretary\"\nrole = \"Decision-maker\"\n";
    set_log(
        &t.m.root,
        &format!("[privilege_log]\nnames_legend = true\n\n{people}"),
    );
    let (_, log) = export_log(&t, "legend.csv");
    let memo = log
        .iter()
        .find(|r| r["CONTROL_ID"] == t.ids["memo.pdf"])
        .unwrap();
    assert_eq!(memo["RECIPIENTS"], "To: Doe, John*; Acting Secretary");
    let owner = log
        .iter()
        .find(|r| r["CONTROL_ID"] == t.ids["owner.pdf"])
        .unwrap();
    assert_eq!(owner["RECIPIENTS"], "Office of the General Counsel*");
    assert_eq!(owner["AUTHOR"], "Policy Office");
    let legend_path = t.m.scratch("exports").join("legend_names_legend.csv");
    let (header, legend) = read_csv_bytes(&std::fs::read(legend_path).unwrap());
    assert_eq!(
        header,
        ["NAME", "ATTORNEY", "ROLE", "AS_AUTHOR", "AS_RECIPIENT"]
    );
    let by_name: BTreeMap<&str, &BTreeMap<String, String>> =
        legend.iter().map(|r| (r["NAME"].as_str(), r)).collect();
    assert_eq!(by_name["Doe, John"]["ATTORNEY"], "*");
    assert_eq!(by_name["Acting Secretary"]["ATTORNEY"], "");
    assert_eq!(by_name["Acting Secretary"]["ROLE"], "Decision-maker");
    assert_eq!(by_name["Policy Office"]["AS_AUTHOR"], "3");
    // Counted independently: rows whose AUTHOR or RECIPIENTS name OGC.
    let ogc = "Office of the General Counsel";
    let as_author = log.iter().filter(|r| r["AUTHOR"].contains(ogc)).count();
    let as_recipient = log.iter().filter(|r| r["RECIPIENTS"].contains(ogc)).count();
    assert_eq!(by_name[ogc]["AS_AUTHOR"], as_author.to_string());
    assert_eq!(by_name[ogc]["AS_RECIPIENT"], as_recipient.to_string());
    assert!(!by_name.contains_key("None"), "None is not a person");

    // A volume produced under the profile: the legend and the redaction log
    // are in DATA/, listed in SHA256SUMS, and the XLSX has the legend sheet.
    let copy = t.m.dir.path().join("copy");
    let _db = t.m.clone_to(&copy);
    set_log(
        &copy,
        &format!(
            "[privilege_log]\nprofile = \"categorical\"\nredactions = \"separate\"\nnames_legend = true\n\n{people}"
        ),
    );
    let out = adrec()
        .current_dir(&copy)
        .args(["export", "privlog", "--format", "xlsx", "-o"])
        .arg(copy.join("log.xlsx"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(copy.join("log.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Privilege log", "Names legend"]);
    let sheet = book.worksheet_range("Privilege log").unwrap();
    let total: f64 = sheet
        .rows()
        .skip(1)
        .map(|r| match &r[7] {
            calamine::Data::Float(n) => *n,
            other => panic!("DOCUMENTS is a number cell, not {other:?}"),
        })
        .sum();
    assert_eq!(
        total as usize, 4,
        "the redacted document is on the redaction log"
    );
    let side = calamine::open_workbook_auto(copy.join("log_redaction_log.xlsx")).unwrap();
    assert_eq!(side.sheet_names(), ["Redaction log"]);
}

#[test]
fn a_volume_under_a_log_profile_lists_its_log_files() {
    let t = tagged_matter();
    set_log(
        &t.m.root,
        "[privilege_log]\nprofile = \"categorical\"\nredactions = \"separate\"\nnames_legend = true\n\n[[person]]\nname = \"Office of the General Counsel\"\nattorney = true",
    );
    let out =
        t.m.cmd()
            .args(["produce", "VOL001", "--date", "2024-04-19"])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let vol = t.m.root.join("productions/VOL001");
    let sums = std::fs::read_to_string(vol.join("SHA256SUMS")).unwrap();
    for name in [
        "VOL001_privilege_log.csv",
        "VOL001_privilege_log.xlsx",
        "VOL001_redaction_log.csv",
        "VOL001_redaction_log.xlsx",
        "VOL001_names_legend.csv",
    ] {
        assert!(vol.join("DATA").join(name).is_file(), "{name}");
        assert!(sums.contains(&format!("  DATA/{name}\n")), "{name}");
    }
    let (_, log) =
        read_csv_bytes(&std::fs::read(vol.join("DATA/VOL001_privilege_log.csv")).unwrap());
    let (_, side) =
        read_csv_bytes(&std::fs::read(vol.join("DATA/VOL001_redaction_log.csv")).unwrap());
    assert_eq!(log.len(), 1, "one withheld group");
    assert_eq!(log[0]["TREATMENT"], "Withheld in Full");
    assert_eq!(side.len(), 1, "one redacted group");
    assert_eq!(side[0]["DOCUMENTS"], "1");
    let (_, legend) =
        read_csv_bytes(&std::fs::read(vol.join("DATA/VOL001_names_legend.csv")).unwrap());
    let ogc = legend
        .iter()
        .find(|r| r["NAME"] == "Office of the General Counsel")
        .unwrap();
    assert_eq!(ogc["ATTORNEY"], "*");
    assert_eq!(ogc["AS_AUTHOR"], "2");
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&vol)
        .output()
        .unwrap();
    assert!(check.status.success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vol.join("DATA/VOL001_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["privilege_log"]["profile"], "categorical");
    assert_eq!(manifest["privilege_log"]["redactions"], "separate");
    assert_eq!(manifest["privilege_log"]["names_legend"], true);
}

#[test]
fn bad_privilege_log_values_name_the_key() {
    let m = TestMatter::new("generic");
    for (block, key) in [
        (
            "[privilege_log]\nprofile = \"summary\"",
            "privilege_log.profile",
        ),
        (
            "[privilege_log]\nredactions = \"inline\"",
            "privilege_log.redactions",
        ),
        ("[privilege_log]\nnames_legend = \"yes\"", "names_legend"),
        ("[[person]]\nname = \"\"", "person[1].name"),
    ] {
        set_log(&m.root, block);
        let out = m.cmd().args(["docs"]).output().unwrap();
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{block}: {err}");
        assert!(err.contains(key), "{block}: {err}");
        assert!(err.contains("hint:"), "{block}: {err}");
    }
}

/// Damages the `ord`-th stored row of `kind` (as a failing disk or a hand
/// edit might), on whichever backend the matter uses.
fn damage_stored_row(m: &TestMatter, kind: &str, ord: i64) {
    let sql =
        format!("UPDATE volume_rows SET data = 'not a row' WHERE kind = '{kind}' AND ord = {ord}");
    match &m.db {
        Some(db) => {
            pg_client(&db.name).batch_execute(&sql).unwrap();
        }
        None => {
            let db = rusqlite::Connection::open(m.root.join(".adrec/adrec.db")).unwrap();
            assert_eq!(db.execute(&sql, []).unwrap(), 1);
        }
    }
}

#[test]
fn an_export_that_fails_midway_leaves_no_file_behind() {
    let t = logged_matter();
    set_log(
        &t.m.root,
        "[privilege_log]\nprofile = \"metadata-only\"\nredactions = \"separate\"",
    );
    damage_stored_row(&t.m, "index", 2);
    damage_stored_row(&t.m, "privlog", 1);
    let dir = t.m.scratch("exports");
    let to = |name: &str| dir.join(name).to_str().unwrap().to_string();
    for args in [
        vec!["index", "-o", &to("index.csv")],
        vec!["index", "--format", "xlsx", "-o", &to("index.xlsx")],
        vec!["privlog", "--all", "-o", &to("log.csv")],
        vec![
            "privlog",
            "--volume",
            "VOL001",
            "--format",
            "xlsx",
            "-o",
            &to("log.xlsx"),
        ],
        vec!["privlog"],
    ] {
        let out = t.m.cmd().arg("export").args(&args).output().unwrap();
        let (stdout, err) = text(&out);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {err}");
        assert!(
            err.contains("a stored row is unreadable"),
            "{args:?}: {err}"
        );
        assert!(stdout.is_empty(), "{args:?}: nothing on stdout: {stdout}");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(
            left.is_empty(),
            "{args:?}: nothing written, no temporary file: {left:?}"
        );
    }
    // The index before the damaged row still exports, row by row, to stdout:
    // what a reader of a pipe gets before the error is the rows read so far.
    let out = t.m.cmd().args(["export", "index"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let (_, rows) = read_csv_bytes(&out.stdout);
    assert_eq!(rows.len(), 2, "the two rows before the damaged one");
}
