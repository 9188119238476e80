//! FAMILY_BROKEN: an email with two attachments and a standalone document,
//! described by BEGATTACH/ENDATTACH, PARENT_BATES and ATTACH_BATES; each
//! planted defect is one finding, the clean twin none.

use crate::audit_util::*;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const HEADERS: [&str; 7] = [
    "BEGBATES",
    "ENDBATES",
    "PGCOUNT",
    "BEGATTACH",
    "ENDATTACH",
    "PARENT_BATES",
    "ATTACH_BATES",
];

fn b(n: u64) -> String {
    format!("DHS-FAM-{n:06}")
}

/// FAM001 with its family columns after `change` has edited them.
fn families(parent: &Path, change: impl Fn(&mut Vec<Vec<String>>)) -> PathBuf {
    let root = parent.join("FAM001");
    // (first, last, family first, family last, parent, attachments)
    let docs: [(u64, u64, u64, u64, &str, &str); 4] = [
        (1, 2, 1, 5, "", "DHS-FAM-000003;DHS-FAM-000004"),
        (3, 3, 1, 5, "DHS-FAM-000001", ""),
        (4, 5, 1, 5, "DHS-FAM-000001", ""),
        (6, 6, 6, 6, "", ""),
    ];
    let mut rows = Vec::new();
    for (first, last, fa, fb, parent, attach) in docs {
        let pages = (last - first + 1) as usize;
        write(
            &root.join(format!("IMAGES/{}.pdf", b(first))),
            &pdf(pages, &b(first), false),
        );
        rows.push(vec![
            b(first),
            b(last),
            pages.to_string(),
            b(fa),
            b(fb),
            parent.to_string(),
            attach.to_string(),
        ]);
    }
    change(&mut rows);
    write(
        &root.join("DATA/FAM001.dat"),
        &dat(&HEADERS, &rows, Enc::Utf8Bom, 'þ'),
    );
    resum(&root);
    root
}

#[track_caller]
fn one_family_finding(change: impl Fn(&mut Vec<Vec<String>>), message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let vol = families(tmp.path(), change);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "FAMILY_BROKEN");
    assert_eq!(f["message"], message);
}

#[test]
fn a_consistent_family_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = families(tmp.path(), |_| {});
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    let cols = &json["volumes"][0]["index"]["columns"];
    assert_eq!(cols["BEGATTACH"], "BEGATTACH", "{cols:#}");
    assert_eq!(cols["PARENT"], "PARENT_BATES", "{cols:#}");
    assert_eq!(cols["ATTACH_IDS"], "ATTACH_BATES", "{cols:#}");
}

#[test]
fn an_attachment_whose_parent_is_absent() {
    one_family_finding(
        |rows| rows[1][5] = b(9),
        "DHS-FAM-000003 names its parent DHS-FAM-000009, which is not in the production (FAM001/DATA/FAM001.dat line 3).",
    );
}

#[test]
fn a_parent_naming_an_absent_attachment() {
    one_family_finding(
        |rows| rows[0][6].push_str(";DHS-FAM-000010"),
        "DHS-FAM-000001 names the attachment DHS-FAM-000010, which is not in the production (FAM001/DATA/FAM001.dat line 2).",
    );
}

#[test]
fn members_disagreeing_on_the_range() {
    one_family_finding(
        |rows| rows[2][4] = b(4),
        "The members of family DHS-FAM-000001 disagree on its range: DHS-FAM-000001 says DHS-FAM-000001 – DHS-FAM-000005, DHS-FAM-000004 says DHS-FAM-000001 – DHS-FAM-000004.",
    );
}

#[test]
fn a_range_short_of_its_last_member() {
    one_family_finding(
        |rows| rows.iter_mut().take(3).for_each(|r| r[4] = b(3)),
        "Family DHS-FAM-000001 – DHS-FAM-000003 should end at DHS-FAM-000005, the last number of its last member DHS-FAM-000004.",
    );
}

#[test]
fn a_range_starting_inside_a_document() {
    one_family_finding(
        |rows| {
            rows[3][3] = "DHS-FAM-000007".into();
            rows[3][4] = "DHS-FAM-000007".into();
        },
        "Family DHS-FAM-000007 starts at DHS-FAM-000007, which is no document's first number (its members: DHS-FAM-000006).",
    );
}
