//! DAT load-file profiles (`[load_file]`): each agency profile in each
//! encoding, read back by a reader written here (its own decoder for
//! UTF-16LE and Windows-1252, its own Concordance split), compared name by
//! name and value by value with the adrec profile's DAT of the same matter.

use crate::produce::{Tagged, tagged_matter};
use crate::util::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Text with characters Windows-1252 holds outside ASCII: é, €, en dash,
/// curly quotes, and þ and ® that the DAT must substitute.
const TITLE: &str = "Résumé – €5 ‘plan’ þorn®";

/// The tagged matter with one produced document's title holding `title`.
fn matter_with_title(title: &str) -> Tagged {
    let t = tagged_matter();
    let out =
        t.m.cmd()
            .args(["tag", &t.ids["memo.pdf"], "--title", title])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    t
}

/// Decodes Windows-1252 with a table written here (0x80–0x9F; the rest is
/// Latin-1). An unassigned byte is a test failure.
fn decode_cp1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '?', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '?', 'Ž', '?', '?', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '?', 'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => {
                let c = HIGH[usize::from(b - 0x80)];
                assert_ne!(c, '?', "byte {b:#04x} is unassigned in Windows-1252");
                c
            }
            _ => char::from(b),
        })
        .collect()
}

/// The DAT's text, decoded as `encoding` says, with its BOM checked and removed.
pub(crate) fn decode(bytes: &[u8], encoding: &str) -> String {
    match encoding {
        "utf-8-bom" => {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
            String::from_utf8(bytes[3..].to_vec()).expect("valid UTF-8")
        }
        "utf-16le" => {
            assert!(bytes.starts_with(&[0xFF, 0xFE]), "UTF-16LE BOM");
            assert_eq!(bytes.len() % 2, 0, "whole UTF-16 code units");
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).expect("valid UTF-16")
        }
        "cp1252" => {
            assert!(
                !bytes.starts_with(b"\xEF\xBB\xBF") && !bytes.starts_with(&[0xFF, 0xFE]),
                "a Windows-1252 file has no BOM"
            );
            // Every delimiter is one byte: þ is 0xFE, 0x14 separates.
            assert_eq!(bytes.first(), Some(&0xFE), "first byte is the þ qualifier");
            decode_cp1252(bytes)
        }
        other => panic!("{other}"),
    }
}

/// Concordance rows: header names and each row's values by name.
pub(crate) fn parse(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    assert!(text.ends_with("\r\n"), "last line ends with CRLF");
    let split = |line: &str| -> Vec<String> {
        line.split('\u{14}')
            .map(|f| {
                f.strip_prefix('þ')
                    .and_then(|f| f.strip_suffix('þ'))
                    .unwrap_or_else(|| panic!("unqualified field {f:?}"))
                    .to_string()
            })
            .collect()
    };
    let mut lines = text[..text.len() - 2].split("\r\n");
    let header = split(lines.next().expect("a header"));
    let rows = lines
        .map(|l| {
            let values = split(l);
            assert_eq!(values.len(), header.len(), "field count of {l:?}");
            header.iter().cloned().zip(values).collect()
        })
        .collect();
    (header, rows)
}

/// Copies the tagged matter, sets `[load_file]`, produces VOL001 and
/// returns its folder, the DAT's bytes and (on PostgreSQL) the copy's database.
fn produce_with(t: &Tagged, name: &str, load_file: &str) -> Produced {
    let root = t.m.dir.path().join(name);
    let db = t.m.clone_to(&root);
    let config = root.join("adrec.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str(load_file);
    std::fs::write(&config, toml).unwrap();
    let out = adrec()
        .current_dir(&root)
        .args(["produce", "VOL001", "--date", "2024-04-19"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{name}: {:?}", text(&out));
    let dat = std::fs::read(root.join("productions/VOL001/DATA/VOL001.dat")).unwrap();
    (root, dat, db)
}

type Produced = (std::path::PathBuf, Vec<u8>, Option<TestDatabase>);

/// The adrec column each profile's column holds, as the agencies name them
/// (reference/standards.md §1.3, §4); `*PRPRTIES` is DOJ's own notation.
fn expected(profile: &str) -> Vec<(&'static str, &'static str)> {
    let adrec = [
        "BEGBATES",
        "ENDBATES",
        "PGCOUNT",
        "CONTROL_ID",
        "VOLUME",
        "CATEGORY",
        "TREATMENT",
        "CONFIDENTIALITY",
        "DOC_DATE",
        "DOC_TYPE",
        "TITLE",
        "AUTHOR",
        "RECIPIENTS",
        "CUSTODIAN",
        "FILENAME",
        "PRODUCED_SHA256",
        "SOURCE_SHA256",
        "SOURCE_MD5",
        "DUPLICATES",
        "BEGATTACH",
        "ENDATTACH",
        "PARENT_BATES",
        "ATTACH_BATES",
        "NATIVELINK",
        "IMAGELINK",
        "TEXTLINK",
    ];
    match profile {
        "adrec" => adrec.iter().map(|c| (*c, *c)).collect(),
        "ftc" => {
            let first = [
                "BEGBATES",
                "ENDBATES",
                "BEGATTACH",
                "ENDATTACH",
                "PGCOUNT",
                "CUSTODIAN",
                "FILENAME",
            ];
            let rest = adrec.iter().filter(|c| !first.contains(c));
            first.iter().chain(rest).map(|c| (*c, *c)).collect()
        }
        "doj" => vec![
            ("BEGDOC#", "BEGBATES"),
            ("ENDDOC#", "ENDBATES"),
            ("DOCID", "BEGBATES"),
            ("PGCOUNT", "PGCOUNT"),
            ("PARENTID", "PARENT_BATES"),
            ("ATTCHIDS", "ATTACH_BATES"),
            ("FAMLYRNG", "*FAMLYRNG"),
            ("CUSTDIAN", "CUSTODIAN"),
            ("DOCDATE", "DOC_DATE"),
            ("DOCTYPE", "DOC_TYPE"),
            ("TITLE", "TITLE"),
            ("AUTHOR", "AUTHOR"),
            ("RECIPNTS", "RECIPIENTS"),
            ("FILENAME", "FILENAME"),
            ("PRPRTIES", "*PRPRTIES"),
            ("CATEGORY", "CATEGORY"),
            ("CONFDNTL", "CONFIDENTIALITY"),
            ("VOLUME", "VOLUME"),
            ("CTRLNUM", "CONTROL_ID"),
            ("DUPLICTS", "DUPLICATES"),
            ("PRODHASH", "PRODUCED_SHA256"),
            ("SRCHASH", "SOURCE_SHA256"),
            ("MD5HASH", "SOURCE_MD5"),
            ("DOCLINK", "NATIVELINK"),
            ("PDFPATH", "IMAGELINK"),
            ("TEXTLINK", "TEXTLINK"),
        ],
        "sec" => {
            let first = [
                ("FIRSTBATES", "BEGBATES"),
                ("LASTBATES", "ENDBATES"),
                ("BEGATTACH", "BEGATTACH"),
                ("ENDATTACH", "ENDATTACH"),
                ("PARENT_BATES", "PARENT_BATES"),
                ("CHILD_BATES", "ATTACH_BATES"),
                ("PGCOUNT", "PGCOUNT"),
                ("CUSTODIAN", "CUSTODIAN"),
                ("AUTHOR", "AUTHOR"),
                ("FILE_NAME", "FILENAME"),
                ("MD5HASH", "SOURCE_MD5"),
                ("LINK", "NATIVELINK"),
                ("IMAGELINK", "IMAGELINK"),
                ("OCRPATH", "TEXTLINK"),
            ];
            let taken: Vec<&str> = first.iter().map(|(_, a)| *a).collect();
            let rest = adrec
                .iter()
                .filter(|c| !taken.contains(c))
                .map(|c| (*c, *c));
            first.into_iter().chain(rest).collect()
        }
        other => panic!("{other}"),
    }
}

/// Every encoding of one profile, against the adrec profile's UTF-8 DAT.
fn check_profile(profile: &str) {
    let t = matter_with_title(TITLE);
    let (_, reference, _db) = produce_with(&t, "reference", "");
    let (_, reference_rows) = parse(&decode(&reference, "utf-8-bom"));
    assert_eq!(reference_rows.len(), 7);
    let memo = &t.ids["memo.pdf"];
    let title = &reference_rows
        .iter()
        .find(|r| &r["CONTROL_ID"] == memo)
        .unwrap()["TITLE"];
    assert_eq!(title, "Résumé – €5 ‘plan’ thorn(R)", "DAT substitutions");

    for encoding in ["utf-8-bom", "utf-16le", "cp1252"] {
        let name = format!("{profile}-{encoding}");
        let (root, bytes, _db) = produce_with(
            &t,
            &name,
            &format!("\n[load_file]\nprofile = \"{profile}\"\nencoding = \"{encoding}\"\n"),
        );
        let (header, rows) = parse(&decode(&bytes, encoding));
        let want = expected(profile);
        let names: Vec<&str> = want.iter().map(|(n, _)| *n).collect();
        assert_eq!(header, names, "{name}: header");
        assert_eq!(rows.len(), reference_rows.len(), "{name}: rows");
        for (row, reference) in rows.iter().zip(&reference_rows) {
            for (column, source) in &want {
                let range = match (
                    reference["BEGATTACH"].as_str(),
                    reference["ENDATTACH"].as_str(),
                ) {
                    ("", _) | (_, "") => String::new(),
                    (beg, end) => format!("{beg} - {end}"),
                };
                let expected = match *source {
                    "*PRPRTIES" => match reference["TREATMENT"].as_str() {
                        "Withheld" => "Document Withheld Based On Privilege",
                        other => other,
                    },
                    "*FAMLYRNG" => range.as_str(),
                    adrec => reference[adrec].as_str(),
                };
                assert_eq!(
                    row[*column], expected,
                    "{name}: {} {column}",
                    reference["CONTROL_ID"]
                );
            }
        }
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root.join("productions/VOL001/DATA/VOL001_manifest.json")).unwrap(),
        )
        .unwrap();
        let label = match encoding {
            "utf-8-bom" => "UTF-8 with BOM",
            "utf-16le" => "UTF-16LE with BOM",
            _ => "Windows-1252",
        };
        assert_eq!(manifest["dat_encoding"], label, "{name}");
        if profile != "adrec" {
            assert_eq!(manifest["dat_profile"], profile, "{name}");
        } else {
            assert!(manifest.get("dat_profile").is_none(), "{name}");
        }
        assert!(manifest.get("privilege_log").is_none(), "{name}");
        // The index keeps adrec's own names whatever the profile.
        let index =
            std::fs::read_to_string(root.join("productions/VOL001/DATA/VOL001_index.csv")).unwrap();
        assert!(index.starts_with("\u{feff}BEGBATES,ENDBATES,PGCOUNT,CONTROL_ID,"));
        // adrec's own audit reads the profiled volume as any loader would.
        let audit = adrec()
            .args(["audit", root.join("productions/VOL001").to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(audit.status.code(), Some(0), "{name}: {:?}", text(&audit));
    }
}

#[test]
fn adrec_profile_in_every_encoding() {
    check_profile("adrec");
}

#[test]
fn ftc_profile_in_every_encoding() {
    check_profile("ftc");
}

#[test]
fn doj_profile_in_every_encoding() {
    check_profile("doj");
}

#[test]
fn sec_profile_in_every_encoding() {
    check_profile("sec");
}

/// A value Windows-1252 cannot hold stops produce before anything is
/// written, naming the document and the column.
#[test]
fn cp1252_refuses_what_it_cannot_hold_before_anything_is_written() {
    let t = matter_with_title("Ωmega plan 中");
    let config = t.m.root.join("adrec.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[load_file]\nprofile = \"sec\"\nencoding = \"cp1252\"\n");
    std::fs::write(&config, toml).unwrap();
    let before = t.m.state();
    // The dry run says so too.
    let out =
        t.m.cmd()
            .args(["produce", "VOL001", "--dry-run"])
            .output()
            .unwrap();
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{} TITLE: 'Ω'", t.ids["memo.pdf"])),
        "{err}"
    );
    let out =
        t.m.cmd()
            .args(["produce", "VOL001", "--date", "2024-04-19"])
            .output()
            .unwrap();
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let memo = &t.ids["memo.pdf"];
    assert!(
        err.contains(&format!("{memo} TITLE: 'Ω' (U+03A9)")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{memo} TITLE: '中' (U+4E2D)")),
        "{err}"
    );
    assert!(err.contains("Windows-1252"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(
        !t.m.root.join("productions/VOL001").exists(),
        "no volume folder"
    );
    assert_eq!(t.m.state(), before, "nothing recorded");
    // The same value goes out in UTF-16LE.
    let toml = std::fs::read_to_string(&config)
        .unwrap()
        .replace("\"cp1252\"", "\"utf-16le\"");
    std::fs::write(&config, toml).unwrap();
    let out =
        t.m.cmd()
            .args(["produce", "VOL001", "--date", "2024-04-19"])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
}

/// Bad `[load_file]` values name the key and what to write.
#[test]
fn bad_load_file_values_name_the_key() {
    let m = TestMatter::new("generic");
    let config = m.root.join("adrec.toml");
    let original = std::fs::read_to_string(&config).unwrap();
    for (block, key, fix) in [
        ("profile = \"fbi\"", "load_file.profile", "\"doj\""),
        ("encoding = \"latin1\"", "load_file.encoding", "\"cp1252\""),
        ("delimiter = \"|\"", "delimiter", "unknown field"),
    ] {
        std::fs::write(&config, format!("{original}\n[load_file]\n{block}\n")).unwrap();
        let out = m.cmd().args(["docs"]).output().unwrap();
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{block}: {err}");
        assert!(err.contains(key) && err.contains(fix), "{block}: {err}");
    }
    assert!(Path::new(&config).exists());
}
