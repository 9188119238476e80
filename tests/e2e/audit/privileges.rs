//! LOG_BASIS (a privilege that names no recognised privilege: built-in
//! list, `[[privilege]]` of an adrec.toml, `--privileges F`) and
//! LOG_PRODUCED (an entry withheld in full whose document was produced in full).

use crate::audit_util::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The standard volume with the redacted document's privilege set to `redacted`
/// and the withheld one's to `withheld`.
fn with_privileges(parent: &Path, redacted: &str, withheld: &str) -> std::path::PathBuf {
    let mut v = ProduceVolume::standard("VOL001", 1, 1, 1, false);
    v.docs[2].log.as_mut().unwrap().privilege = redacted.into();
    v.docs[3].log.as_mut().unwrap().privilege = withheld.into();
    v.write(parent)
}

#[test]
fn usual_spellings_and_abbreviations_are_bases() {
    for (a, b) in [
        (
            "Attorney-Client Privilege; Attorney Work Product",
            "FOIA Exemption 5",
        ),
        ("AC/WP", "(b)(5) deliberative process"),
        (
            "Presidential Communications",
            "Law enforcement investigatory files",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let vol = with_privileges(tmp.path(), a, b);
        let (code, json, err) = audit_json(&[s(&vol)]);
        assert_eq!(code, 0, "{a} / {b}: {err}\n{json:#}");
    }
}

#[test]
fn privileged_alone_is_no_basis() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = with_privileges(tmp.path(), "Privileged", "Deliberative process privilege");
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "LOG_BASIS");
    assert_eq!(
        f["message"],
        "Log entry PRIV-000001 (DHS-MPP-000005) asserts `Privileged`, which names no recognised privilege or protection."
    );
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000005"]);
}

#[test]
fn the_matters_own_privileges_are_bases() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = with_privileges(
        tmp.path(),
        "TAX",
        "Confidential taxpayer return information",
    );
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    assert_eq!(with_code(&json, "LOG_BASIS").len(), 2, "{json:#}");
    // --privileges F
    let list = tmp.path().join("privileges.csv");
    write(
        &list,
        b"code,name\r\nTAX,Confidential taxpayer return information\r\n",
    );
    let (code, json, err) = audit_json(&[s(&vol), "--privileges", s(&list)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    // [[privilege]] of the adrec.toml given with --categories
    let toml = tmp.path().join("adrec.toml");
    write(
        &toml,
        b"[[category]]\nid = \"1\"\nname = \"One\"\n[[category]]\nid = \"2\"\nname = \"Two\"\n[[category]]\nid = \"3\"\nname = \"Three\"\n[[privilege]]\ncode = \"TAX\"\nname = \"Confidential taxpayer return information\"\n",
    );
    let (code, json, err) = audit_json(&[s(&vol), "--categories", s(&toml)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    // An unreadable list is exit 2.
    write(&list, b"foo,bar\r\n1,2\r\n");
    let (code, _, err) = audit_json(&[s(&vol), "--privileges", s(&list)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot be used: it has no `code` or `name` column"),
        "{err}"
    );
}

#[test]
fn a_withheld_entry_for_a_document_produced_in_full() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = ProduceVolume::standard("VOL001", 1, 1, 1, false);
    v.extra_log.push(
        [
            "PRIV-000009",
            "DHS-MPP-000001",
            "DHS-MPP-000003",
            "DOC-000001",
            "Withheld in Full",
            "2023-03-01",
            "Memorandum",
            "Records Desk",
            "To: Luis Ortega",
            "Legal advice on the order",
            "Attorney-client privilege",
            "1",
            "VOL001",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
    );
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "LOG_PRODUCED");
    assert_eq!(
        f["message"],
        "Log entry PRIV-000009 (DHS-MPP-000001) withholds DHS-MPP-000001 – DHS-MPP-000003 in full, but the index has it produced in full (VOL001/DATA/VOL001.dat line 2) and its file `VOL001/IMAGES/0001/DHS-MPP-000001.pdf` is in the production: a possible inadvertent production."
    );
}
