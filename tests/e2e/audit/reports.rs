//! `--report` in every format, `--json` stability, and the HTML report opened
//! in headless Chromium.

use crate::audit_util::*;
use crate::util::{chromium, run_chromium};
use std::path::{Path, PathBuf};
use std::process::Command;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A volume with a gap, an unlogged redaction and an empty category, and the categories file.
fn with_findings(dir: &Path) -> (PathBuf, PathBuf) {
    let mut v = ProduceVolume::standard("VOL001", 1, 1, 1, false);
    v.docs[3].beg = bates(9);
    v.docs[3].end = bates(9);
    v.docs[2].log = None;
    let vol = v.write(dir);
    let cats = dir.join("categories.csv");
    std::fs::write(&cats, "id,name\r\n1,Mexico <&> \"agreements\"\r\n2,White House\r\n3,DOJ and EOIR\r\n4,Migrants\r\n").unwrap();
    (vol, cats)
}

const EXPECTED: [&str; 3] = ["BATES_GAP", "EMPTY_CATEGORY", "UNLOGGED_REDACTION"];

#[test]
fn reports_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let (vol, cats) = with_findings(tmp.path());
    let (_, json, _) = audit_json(&[s(&vol), "--categories", s(&cats)]);
    assert_eq!(codes(&json), EXPECTED);
    for ext in ["csv", "xlsx", "json", "md", "html"] {
        let report = tmp.path().join(format!("report.{ext}"));
        let (code, out, err) =
            audit_text(&[s(&vol), "--categories", s(&cats), "--report", s(&report)]);
        assert_eq!(code, 1, "{err}");
        assert!(out.contains("Report written to"), "{out}");
        let bytes = std::fs::read(&report).unwrap();
        match ext {
            "csv" => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    text.starts_with("\u{feff}code,volume,bates,files,location,message\r\n"),
                    "{text}"
                );
                assert_eq!(text.matches("\r\n").count(), 4, "{text}");
                assert!(
                    text.contains(
                        "BATES_GAP,VOL001,DHS-MPP-000007; DHS-MPP-000008,,,\"No document claims"
                    ),
                    "{text}"
                );
            }
            "xlsx" => {
                use calamine::{Reader, open_workbook_auto_from_rs};
                let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
                let range = book.worksheet_range("Findings").unwrap();
                let codes: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
                assert_eq!(codes, EXPECTED);
                let cats = book.worksheet_range("Categories").unwrap();
                assert_eq!(cats.rows().count(), 5);
            }
            "json" => {
                let file: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(file["findings"], json["findings"]);
                assert_eq!(file["schema_version"], 1);
            }
            "md" => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.starts_with("# adrec audit report"));
                assert!(text.contains("| BATES_GAP | VOL001 |"), "{text}");
            }
            _ => {
                let text = String::from_utf8(bytes).unwrap();
                for code in EXPECTED {
                    assert!(
                        text.contains(&format!("<td class=\"code\">{code}</td>")),
                        "{code}"
                    );
                }
                assert!(text.contains("<svg") && text.contains("class=\"bar produced\""));
                assert!(text.contains("Mexico &lt;&amp;&gt; &quot;agreements&quot;"));
                for external in ["<script", "<link", "src=", "href=", "@import", "url("] {
                    assert!(
                        !text.contains(external),
                        "the HTML report must be self-contained, found {external}"
                    );
                }
            }
        }
    }
}

#[test]
fn json_is_versioned_sorted_and_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let (vol, cats) = with_findings(tmp.path());
    let (_, a, _) = audit_json(&[s(&vol), "--categories", s(&cats)]);
    let (_, b, _) = audit_json(&[s(&vol), "--categories", s(&cats)]);
    assert_eq!(a["schema_version"], 1);
    assert_eq!(a["findings"], b["findings"]);
    assert_eq!(a["categories"], b["categories"]);
    for key in ["code", "volume", "bates", "files", "message"] {
        assert!(a["findings"][0].get(key).is_some(), "{key}");
    }
    assert_eq!(a["summary"]["by_code"]["BATES_GAP"], 1);
    assert_eq!(a["clean"], false);
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (vol, cats) = with_findings(tmp.path());
    let report = tmp.path().join("report.html");
    let (code, _, err) = audit_text(&[s(&vol), "--categories", s(&cats), "--report", s(&report)]);
    assert_eq!(code, 1, "{err}");
    let url = format!("file://{}", report.display());

    // The DOM Chromium built: findings table rows and the chart's bars.
    let dom = run_chromium(
        &bin,
        &tmp.path().join("profile-dom"),
        &["--dump-dom".into(), url.clone()],
    );
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    assert!(
        dom.contains("id=\"findings-table\""),
        "no findings table in the rendered DOM:\n{dom}"
    );
    assert_eq!(dom.matches("<tr class=\"finding\"").count(), 3, "{dom}");
    for code in EXPECTED {
        assert!(dom.contains(code), "{code} missing from the rendered DOM");
    }
    assert!(
        dom.contains("<svg") && dom.matches("class=\"bar ").count() >= 4,
        "the chart did not render:\n{dom}"
    );

    // The page as printed: its text (findings and chart labels) comes back out of the PDF.
    let printed = tmp.path().join("report.pdf");
    let out = run_chromium(
        &bin,
        &tmp.path().join("profile-pdf"),
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", printed.display()),
            url.clone(),
        ],
    );
    assert!(
        printed.is_file(),
        "chromium printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match Command::new("pdftotext").arg(&printed).arg("-").output() {
        Ok(text) if text.status.success() => {
            let text = String::from_utf8_lossy(&text.stdout);
            for needle in [
                "adrec audit report",
                "BATES_GAP",
                "UNLOGGED_REDACTION",
                "Documents per category",
                "Produced",
                "Withheld",
                "DOJ and EOIR",
            ] {
                assert!(
                    text.contains(needle),
                    "`{needle}` is not in the printed page:\n{text}"
                );
            }
        }
        _ => eprintln!("pdftotext is not installed: the printed page's text was not checked"),
    }

    // And a screenshot: a real, non-trivial PNG.
    let shot = tmp.path().join("report.png");
    run_chromium(
        &bin,
        &tmp.path().join("profile-png"),
        &[
            "--window-size=1280,1600".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote no screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "screenshot is {} bytes",
        png.len()
    );
}

/// The new codes, the dialect read and the notes appear in every format
/// (the CSV is the findings table alone: codes only).
#[test]
fn new_codes_dialects_and_notes_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = ProduceVolume::standard("VOL001", 1, 1, 1, false);
    v.docs[2].log.as_mut().unwrap().privilege = "Privileged".into();
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
            "Legal advice",
            "Attorney-client privilege",
            "1",
            "VOL001",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
    );
    let vol = v.write(tmp.path());
    let opt = vol.join("DATA/VOL001.opt");
    let text = std::fs::read_to_string(&opt).unwrap();
    let short: Vec<String> = text
        .lines()
        .map(|l| l.split(',').take(5).collect::<Vec<_>>().join(","))
        .collect();
    std::fs::write(&opt, short.join("\r\n") + "\r\n").unwrap();
    resum(&vol);
    let expected = ["LOG_BASIS", "LOG_PRODUCED"];
    let note = "7 line(s) have 5 fields instead of 7";
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    assert_eq!(codes(&json), expected, "{json:#}");
    let (_, out, _) = audit_text(&[s(&vol)]);
    assert!(
        out.contains("LOG_BASIS") && out.contains("LOG_PRODUCED") && out.contains(note),
        "{out}"
    );
    assert!(out.contains("(Opticon OPT"), "{out}");
    for ext in ["csv", "xlsx", "md", "html"] {
        let report = tmp.path().join(format!("report.{ext}"));
        let (code, _, err) = audit_text(&[s(&vol), "--report", s(&report)]);
        assert_eq!(code, 1, "{err}");
        let bytes = std::fs::read(&report).unwrap();
        let text = match ext {
            "xlsx" => {
                use calamine::{Reader, open_workbook_auto_from_rs};
                let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
                ["Findings", "Volumes"]
                    .iter()
                    .flat_map(|sheet| {
                        let range = book.worksheet_range(sheet).unwrap();
                        range
                            .rows()
                            .flat_map(|r| r.iter().map(|c| c.to_string()))
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            _ => String::from_utf8(bytes).unwrap(),
        };
        for code in expected {
            assert!(text.contains(code), "{ext}: {code}");
        }
        if ext != "csv" {
            assert!(text.contains(note), "{ext}: the note\n{text}");
            assert!(text.contains("Opticon OPT"), "{ext}: the dialect\n{text}");
        }
    }
}
