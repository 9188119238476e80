//! `adrec certify`: the appendix's figures against an independent count
//! from each volume's own DAT, index CSV and SHA256SUMS (read here, hashed by
//! `sha256sum`), the draft declaration, and byte-identical re-runs.

use crate::produce::{Tagged, tagged_matter};
use crate::profiles::{decode, parse};
use crate::util::*;
use std::collections::BTreeMap;
use std::path::Path;

type Key = (String, String, String);
/// (VOLUME, SECTION, ITEM) → (DOCUMENTS, PAGES, BATES, DETAIL).
type Figures = BTreeMap<Key, (String, String, String, String)>;

fn read_certify_csv(path: &Path) -> (Figures, Vec<Key>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "VOLUME",
            "SECTION",
            "ITEM",
            "DOCUMENTS",
            "PAGES",
            "BATES",
            "DETAIL"
        ]
    );
    let mut figures = Figures::new();
    let mut keys = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key = (rec[0].to_string(), rec[1].to_string(), rec[2].to_string());
        keys.push(key.clone());
        figures.insert(
            key,
            (
                rec[3].to_string(),
                rec[4].to_string(),
                rec[5].to_string(),
                rec[6].to_string(),
            ),
        );
    }
    (figures, keys)
}

/// Two volumes by two custodians; the second withholds one document log-only.
fn two_volumes() -> Tagged {
    let t = tagged_matter();
    let config = t.m.root.join("adrec.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "{toml}\n[certification]\ndeclarant = \"Dana Ruiz\"\ntitle = \"Deputy Chief of Staff\"\nagency = \"U.S. Department of Homeland Security\"\nrecord_description = \"the termination of MPP\"\n"
        ),
    )
    .unwrap();
    let out =
        t.m.cmd()
            .args([
                "produce",
                "VOL001",
                "--date",
                "2024-04-12",
                "--title",
                "First Supplement",
            ])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));

    let src = t.m.scratch("second");
    for (name, fixture) in [
        ("a.pdf", "pdf/inherited.pdf"),
        ("b.pdf", "pdf/objstm.pdf"),
        ("c.pdf", "pdf/linearized.pdf"),
        ("d.txt", "misc/notes.txt"),
    ] {
        std::fs::copy(fixtures().join(fixture), src.join(name)).unwrap();
    }
    let out =
        t.m.cmd()
            .args([
                "ingest",
                "--custodian",
                "Office of Policy",
                src.to_str().unwrap(),
            ])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let ids: BTreeMap<String, String> =
        t.m.docs()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["docid"].as_str().unwrap().to_string(),
                )
            })
            .collect();
    let tag = |path: &str, args: &[&str]| {
        let out =
            t.m.cmd()
                .arg("tag")
                .arg(&ids[path])
                .args(args)
                .output()
                .unwrap();
        assert!(out.status.success(), "{path}: {:?}", text(&out));
    };
    tag("a.pdf", &["--status", "produce", "--category", "1"]);
    tag(
        "c.pdf",
        &["--status", "produce", "--category", "4", "--category", "5"],
    );
    tag("d.txt", &["--status", "produce", "--category", "5"]);
    tag(
        "b.pdf",
        &[
            "--status",
            "withhold",
            "--category",
            "5",
            "--privilege",
            "DP",
            "--description",
            "Draft guidance",
            "--doc-date",
            "2019-02-01",
            "--doc-type",
            "Draft",
            "--author",
            "Policy Office",
            "--recipients",
            "None",
        ],
    );
    let toml = std::fs::read_to_string(&config).unwrap();
    assert!(toml.contains("withheld = \"slipsheet\""));
    std::fs::write(
        &config,
        toml.replace("withheld = \"slipsheet\"", "withheld = \"log-only\""),
    )
    .unwrap();
    let out =
        t.m.cmd()
            .args([
                "produce",
                "VOL002",
                "--date",
                "2024-05-01",
                "--title",
                "Second Supplement",
            ])
            .output()
            .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    t
}

fn read_index(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn figures_match_the_volumes_own_load_files_and_checksums() {
    let t = two_volumes();
    let out_csv = t.m.scratch("out").join("cert.csv");
    let out =
        t.m.cmd()
            .args(["certify", "--all", "-o", out_csv.to_str().unwrap()])
            .output()
            .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let (figures, _) = read_certify_csv(&out_csv);
    let get = |v: &str, s: &str, i: &str| {
        figures
            .get(&(v.to_string(), s.to_string(), i.to_string()))
            .unwrap_or_else(|| panic!("no row {v} {s} {i}: {figures:#?}"))
            .clone()
    };
    let (mut all_docs, mut all_pages) = (0u64, 0u64);
    for volume in ["VOL001", "VOL002"] {
        let dir = t.m.root.join("productions").join(volume);
        // The DAT, read with the test's own Concordance reader.
        let dat = std::fs::read(dir.join(format!("DATA/{volume}.dat"))).unwrap();
        let (_, rows) = parse(&decode(&dat, "utf-8-bom"));
        // Log-only documents have no DAT line: the index CSV lists them.
        let index = read_index(&dir.join(format!("DATA/{volume}_index.csv")));
        let log_only: Vec<&BTreeMap<String, String>> =
            index.iter().filter(|r| r["BEGBATES"].is_empty()).collect();
        let pages = |rs: &[&BTreeMap<String, String>]| -> u64 {
            rs.iter()
                .map(|r| r["PGCOUNT"].parse::<u64>().unwrap())
                .sum()
        };
        let all: Vec<&BTreeMap<String, String>> = rows.iter().collect();
        let documents = (rows.len() + log_only.len()) as u64;
        let (d, p, bates, date) = get(
            volume,
            "volume",
            if volume == "VOL001" {
                "First Supplement"
            } else {
                "Second Supplement"
            },
        );
        assert_eq!(d, documents.to_string(), "{volume} documents");
        assert_eq!(p, pages(&all).to_string(), "{volume} pages");
        assert_eq!(
            bates,
            format!(
                "{} \u{2013} {}",
                rows[0]["BEGBATES"],
                rows[rows.len() - 1]["ENDBATES"]
            )
        );
        assert_eq!(
            date,
            if volume == "VOL001" {
                "2024-04-12"
            } else {
                "2024-05-01"
            }
        );
        all_docs += documents;
        all_pages += pages(&all);

        for treatment in ["Produced", "Redacted", "Withheld"] {
            let these: Vec<_> = all
                .iter()
                .copied()
                .filter(|r| r["TREATMENT"] == treatment)
                .collect();
            let extra = if treatment == "Withheld" {
                log_only.len()
            } else {
                0
            };
            let (d, p, _, _) = get(volume, "treatment", treatment);
            assert_eq!(d, (these.len() + extra).to_string(), "{volume} {treatment}");
            assert_eq!(p, pages(&these).to_string(), "{volume} {treatment} pages");
        }
        for id in ["1", "2", "3", "4", "5"] {
            let in_cat = |r: &&BTreeMap<String, String>| r["CATEGORY"].split("; ").any(|c| c == id);
            let these: Vec<_> = all.iter().copied().filter(in_cat).collect();
            let extra = log_only.iter().filter(|r| in_cat(r)).count();
            let item = figures
                .keys()
                .find(|(v, s, i)| {
                    v == volume && s == "category" && i.starts_with(&format!("{id} \u{2013} "))
                })
                .unwrap()
                .2
                .clone();
            let (d, p, _, _) = get(volume, "category", &item);
            assert_eq!(
                d,
                (these.len() + extra).to_string(),
                "{volume} category {id}"
            );
            assert_eq!(p, pages(&these).to_string(), "{volume} category {id} pages");
        }
        let custodian = if volume == "VOL001" {
            "Reyes, A."
        } else {
            "Office of Policy"
        };
        let (d, p, _, _) = get(volume, "custodian", custodian);
        assert_eq!(d, documents.to_string());
        assert_eq!(p, pages(&all).to_string());

        // SHA256SUMS: intact, and its own hash as sha256sum computes it.
        let check = std::process::Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(check.status.success());
        let hash = tool("sha256sum", &[dir.join("SHA256SUMS").to_str().unwrap()]);
        let hash = hash.split_whitespace().next().unwrap().to_string();
        let (_, _, _, detail) = get(volume, "sha256sums", "SHA256SUMS");
        assert_eq!(detail, hash, "{volume} SHA256SUMS");
    }
    // The log-only document is a gap with its reason and its log entry.
    let index = read_index(&t.m.root.join("productions/VOL002/DATA/VOL002_index.csv"));
    let withheld = index.iter().find(|r| r["BEGBATES"].is_empty()).unwrap();
    let log = read_index(
        &t.m.root
            .join("productions/VOL002/DATA/VOL002_privilege_log.csv"),
    );
    let log_id = &log
        .iter()
        .find(|r| r["CONTROL_ID"] == withheld["CONTROL_ID"])
        .unwrap()["LOG_ID"];
    let (_, _, _, reason) = get("VOL002", "gap", &withheld["CONTROL_ID"]);
    assert!(
        reason.contains("logged only") && reason.contains(log_id.as_str()),
        "{reason}"
    );
    assert!(reason.contains("Office of Policy"), "{reason}");
    let (d, p, ranges, _) = get("ALL", "total", "Total");
    assert_eq!((d, p), (all_docs.to_string(), all_pages.to_string()));
    assert!(
        ranges.starts_with("DHS-MPP-") && !ranges.contains(';'),
        "one run: {ranges}"
    );

    // Markdown and PDF carry the same figures and the draft declaration.
    let md = t.m.scratch("out").join("cert.md");
    let pdf = t.m.scratch("out").join("cert.pdf");
    for path in [&md, &pdf] {
        let out =
            t.m.cmd()
                .args(["certify", "-o", path.to_str().unwrap()])
                .output()
                .unwrap();
        assert!(out.status.success(), "{:?}", text(&out));
    }
    let pdf_text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let md_text = std::fs::read_to_string(&md).unwrap();
    for text in [&pdf_text, &md_text] {
        assert!(text.contains("DECLARATION OF DANA RUIZ"), "{text}");
        assert!(text.contains("Deputy Chief of Staff of the U.S. Department of Homeland Security"));
        assert!(
            text.contains(&format!(
                "produced {all_docs} documents comprising {all_pages} pages"
            )),
            "{text}"
        );
        for volume in ["VOL001", "VOL002"] {
            let (_, _, _, hash) = get(volume, "sha256sums", "SHA256SUMS");
            assert!(text.contains(&hash), "{volume} hash in {text}");
        }
        assert!(text.contains(withheld["CONTROL_ID"].as_str()));
    }
    assert!(pdf_text.contains("Page 1 of"), "{pdf_text}");
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert_eq!(
        fonts.lines().skip(2).count(),
        1,
        "one embedded font: {fonts}"
    );
    // No title or file name of the withheld document.
    for text in [&pdf_text, &md_text] {
        assert!(!text.contains("b.pdf") && !text.contains("notes.pdf"));
    }
}

#[test]
fn reruns_are_byte_identical_and_errors_name_what_to_do() {
    let t = two_volumes();
    let dir = t.m.scratch("out");
    for ext in ["pdf", "md", "csv"] {
        let a = dir.join(format!("a.{ext}"));
        let b = dir.join(format!("b.{ext}"));
        for path in [&a, &b] {
            let out =
                t.m.cmd()
                    .args(["certify", "--all", "-o", path.to_str().unwrap()])
                    .output()
                    .unwrap();
            assert!(out.status.success(), "{:?}", text(&out));
        }
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{ext}"
        );
    }
    // One volume.
    let one = dir.join("one.csv");
    let out =
        t.m.cmd()
            .args(["certify", "--volume", "VOL002", "-o", one.to_str().unwrap()])
            .output()
            .unwrap();
    assert!(out.status.success());
    let (figures, _) = read_certify_csv(&one);
    assert!(
        figures
            .keys()
            .all(|(v, _, _)| v == "VOL002" || v == "ALL" || v.is_empty())
    );
    // Errors.
    for (args, needle) in [
        (vec!["certify", "--volume", "VOL009"], "VOL001, VOL002"),
        (vec!["certify", "-o", "x.txt"], ".pdf, .md or .csv"),
    ] {
        let out = t.m.cmd().args(&args).output().unwrap();
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle) && err.contains("hint:"), "{err}");
    }
    let fresh = TestMatter::new("generic");
    let out = fresh.cmd().arg("certify").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("adrec produce"));
    // A volume whose SHA256SUMS is gone cannot be cited: exit 1, said so.
    std::fs::remove_file(t.m.root.join("productions/VOL001/SHA256SUMS")).unwrap();
    let out =
        t.m.cmd()
            .args(["certify", "-o", one.to_str().unwrap()])
            .output()
            .unwrap();
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("VOL001") && err.contains("SHA256SUMS"),
        "{err}"
    );
    let (figures, _) = read_certify_csv(&one);
    let row = &figures[&(
        "VOL001".to_string(),
        "sha256sums".to_string(),
        "SHA256SUMS".to_string(),
    )];
    assert_eq!(row.3, "not found");
}
