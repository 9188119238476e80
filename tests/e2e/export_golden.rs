//! Export writers against golden bytes: DAT, OPT, index CSV and privilege-log
//! CSV for a 3-page document, a native and a withheld document; DAT
//! substitutions, CSV formula neutralisation and OPT refusals inline.
//! Regenerate the golden files with `ADREC_BLESS=1 cargo test export_golden`.

mod xlsx;

use std::path::PathBuf;

use adrec::export::csv::{index_csv, privlog_csv};
use adrec::export::{IndexRow, OptDoc, OptError, PrivLogRow, Substitution, write_dat, write_opt};

const PRODUCED_3PAGE: &str = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
const SOURCE_3PAGE: &str = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
const PRODUCED_NATIVE: &str = "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730";

/// The three documents of the golden volume, in Bates order.
pub(crate) fn index_rows() -> Vec<IndexRow> {
    vec![
        IndexRow {
            begbates: "DHS-MPP-000101".into(),
            endbates: "DHS-MPP-000103".into(),
            pgcount: Some(3),
            control_id: "DOC-000001".into(),
            volume: "VOL001".into(),
            category: "A; C".into(),
            treatment: "Produced".into(),
            confidentiality: String::new(),
            doc_date: Some("2024-03-14".into()),
            doc_type: "Memorandum".into(),
            title: "MPP implementation guidance, \"phase 2\"".into(),
            author: "Smith, Jane".into(),
            recipients: "To: Doe, John; Roe, Ann | Cc: Lee, Kim".into(),
            custodian: "Office of Policy".into(),
            filename: "guidance memo.pdf".into(),
            produced_sha256: PRODUCED_3PAGE.into(),
            source_sha256: SOURCE_3PAGE.into(),
            source_md5: "9e107d9d372bb6826bd81d3542a419d6".into(),
            duplicates: "DOC-000009".into(),
            nativelink: String::new(),
            imagelink: r"VOL001\IMAGES\0001\DHS-MPP-000101.pdf".into(),
            textlink: r"VOL001\TEXT\0001\DHS-MPP-000101.txt".into(),
            // Not in a family: the family columns are empty.
            ..Default::default()
        },
        IndexRow {
            begbates: "DHS-MPP-000104".into(),
            endbates: "DHS-MPP-000104".into(),
            pgcount: Some(1),
            control_id: "DOC-000002".into(),
            volume: "VOL001".into(),
            category: "B".into(),
            treatment: "Produced".into(),
            confidentiality: "CONFIDENTIAL".into(),
            doc_date: Some("2022-06-30".into()),
            doc_type: String::new(),
            title: "Encounter statistics FY2022".into(),
            author: "Analytics Unit".into(),
            recipients: String::new(),
            custodian: "Office of Policy".into(),
            filename: "encounters_fy2022.xlsx".into(),
            produced_sha256: PRODUCED_NATIVE.into(),
            source_sha256: PRODUCED_NATIVE.into(),
            source_md5: "12345678901234567890123456789012".into(),
            duplicates: String::new(),
            nativelink: r"VOL001\NATIVES\0001\DHS-MPP-000104.xlsx".into(),
            imagelink: r"VOL001\IMAGES\0001\DHS-MPP-000104.pdf".into(),
            textlink: r"VOL001\TEXT\0001\DHS-MPP-000104.txt".into(),
            // Not in a family: the family columns are empty.
            ..Default::default()
        },
        IndexRow {
            begbates: "DHS-MPP-000105".into(),
            endbates: "DHS-MPP-000105".into(),
            pgcount: Some(1),
            control_id: "DOC-000003".into(),
            volume: "VOL001".into(),
            category: "A".into(),
            treatment: "Withheld".into(),
            confidentiality: String::new(),
            doc_date: None,
            doc_type: "Draft".into(),
            title: String::new(),
            author: "Office of the General Counsel".into(),
            recipients: "None".into(),
            custodian: "Office of the General Counsel".into(),
            filename: String::new(),
            produced_sha256: String::new(),
            source_sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                .into(),
            source_md5: "d41d8cd98f00b204e9800998ecf8427e".into(),
            duplicates: String::new(),
            nativelink: String::new(),
            imagelink: r"VOL001\IMAGES\0001\DHS-MPP-000105.pdf".into(),
            textlink: r"VOL001\TEXT\0001\DHS-MPP-000105.txt".into(),
            // Not in a family: the family columns are empty.
            ..Default::default()
        },
    ]
}

/// The privilege log of the same volume: the withheld document, undated.
pub(crate) fn privlog_rows() -> Vec<PrivLogRow> {
    vec![PrivLogRow {
        log_id: "PRIV-000001".into(),
        begbates: "DHS-MPP-000105".into(),
        endbates: "DHS-MPP-000105".into(),
        control_id: "DOC-000003".into(),
        treatment: "Withheld in Full".into(),
        doc_date: None,
        doc_type: "Draft".into(),
        author: "Office of the General Counsel".into(),
        recipients: "None".into(),
        description: "Draft legal analysis of MPP termination options, prepared by agency \
                      counsel for the Secretary, reflecting pre-decisional deliberations."
            .into(),
        privilege: "Attorney-Client Privilege; Deliberative Process Privilege".into(),
        category: "A".into(),
        volume: "VOL001".into(),
        ..Default::default()
    }]
}

fn opt_docs() -> Vec<OptDoc> {
    let doc = |keys: &[&str], path: &str| OptDoc {
        page_keys: keys.iter().map(|k| k.to_string()).collect(),
        volume: "VOL001".into(),
        image_path: path.into(),
        page_images: Vec::new(),
    };
    vec![
        doc(
            &["DHS-MPP-000101", "DHS-MPP-000102", "DHS-MPP-000103"],
            r"VOL001\IMAGES\0001\DHS-MPP-000101.pdf",
        ),
        doc(
            &["DHS-MPP-000104"],
            r"VOL001\IMAGES\0001\DHS-MPP-000104.pdf",
        ),
        doc(
            &["DHS-MPP-000105"],
            r"VOL001\IMAGES\0001\DHS-MPP-000105.pdf",
        ),
    ]
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the golden file, or rewrites it under `ADREC_BLESS=1`.
fn assert_golden(name: &str, actual: &[u8]) {
    let path = golden_path(name);
    if std::env::var_os("ADREC_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("golden dir")).expect("create golden dir");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} unreadable ({e}); run with ADREC_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{name} differs from {}\n{}\n(if the change is intended, rerun with ADREC_BLESS=1)",
            path.display(),
            byte_diff(&expected, actual)
        );
    }
}

/// The first difference: its byte offset, a short window around it, and the
/// lines around it, with control bytes shown as `\xNN`.
fn byte_diff(expected: &[u8], actual: &[u8]) -> String {
    let offset = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    let window =
        |b: &[u8]| show(&b[offset.saturating_sub(24).min(b.len())..(offset + 24).min(b.len())]);
    let mut out = format!(
        "first difference at byte {offset}; expected {} bytes, got {}\n  \
         expected …{}…\n  actual   …{}…\n",
        expected.len(),
        actual.len(),
        window(expected),
        window(actual),
    );
    let lines = |b: &[u8]| -> Vec<Vec<u8>> {
        b.split_inclusive(|&c| c == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    let (exp, act) = (lines(expected), lines(actual));
    let line = expected[..offset].iter().filter(|&&c| c == b'\n').count();
    for i in line.saturating_sub(1)..=line + 1 {
        if exp.get(i).is_none() && act.get(i).is_none() {
            break;
        }
        let mark = if exp.get(i) == act.get(i) { ' ' } else { '!' };
        let text = |l: Option<&Vec<u8>>| l.map_or("<no line>".into(), |l| show(l));
        out += &format!("{mark} line {:>3} expected: {}\n", i + 1, text(exp.get(i)));
        out += &format!("{mark} line {:>3} actual:   {}\n", i + 1, text(act.get(i)));
    }
    out
}

/// Bytes as text: valid UTF-8 shown as characters, control characters and
/// invalid bytes as `\xNN`.
fn show(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() || c == '\u{FEFF}' {
                match u8::try_from(c) {
                    Ok(b) => out += &format!("\\x{b:02X}"),
                    Err(_) => out += &format!("\\u{{{:04X}}}", u32::from(c)),
                }
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out += &format!("\\x{b:02X}");
        }
    }
    out
}

#[test]
fn dat_golden_3page_native_withheld() {
    let out = write_dat(&index_rows());
    assert!(out.substitutions.is_empty(), "{:?}", out.substitutions);
    assert_golden("dat_3page_native_withheld.dat", &out.bytes);
}

#[test]
fn dat_golden_has_the_spec_framing() {
    // Independent of the golden file: BOM, þ-wrapped header, DC4 separators,
    // 26 fields (the 23 index columns, NATIVELINK, IMAGELINK, TEXTLINK),
    // CRLF on every line including the last, one line per row.
    let bytes = write_dat(&index_rows()).bytes;
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF\xC3\xBEBEGBATES\xC3\xBE\x14\xC3\xBEENDBATES\xC3\xBE\x14")
    );
    assert!(bytes.ends_with(b"\xC3\xBE\r\n"));
    let text = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines
            .iter()
            .all(|l| l.split('\u{14}').count() == 26 && !l.contains('\n'))
    );
    assert!(lines[0].ends_with("þNATIVELINKþ\u{14}þIMAGELINKþ\u{14}þTEXTLINKþ"));
    assert!(lines[1].contains("þ03/14/2024þ"), "{}", lines[1]);
    assert!(lines[1].contains("þþ\u{14}þVOL001\\IMAGES\\0001\\DHS-MPP-000101.pdfþ"));
    // Withheld: no date, no title, no filename, no produced hash, no native.
    let withheld: Vec<&str> = lines[3].split('\u{14}').collect();
    for col in [8, 10, 14, 15, 19] {
        assert_eq!(withheld[col], "þþ", "column {col} of the withheld row");
    }
}

#[test]
fn opt_golden_3page_native_withheld() {
    let bytes = write_opt(&opt_docs()).expect("OPT");
    assert!(bytes.is_ascii());
    assert_golden("dat_3page_native_withheld.opt", &bytes);
}

#[test]
fn index_csv_golden() {
    assert_golden("index.csv", &index_csv(&index_rows()).unwrap());
}

#[test]
fn privilege_log_csv_golden() {
    let bytes = privlog_csv(&privlog_rows()).unwrap();
    assert!(
        String::from_utf8_lossy(&bytes).contains(",Undated,"),
        "an undated log row says Undated"
    );
    assert_golden("privilege_log.csv", &bytes);
}

#[test]
fn dat_substitutes_every_unsafe_character_and_reports_it() {
    let row = IndexRow {
        begbates: "X-000001".into(),
        endbates: "X-000001".into(),
        control_id: "DOC-000042".into(),
        title: "one\r\ntwo\nthree\u{2028}four\u{0B}five\u{14}six þ Acme® bell\u{07}end".into(),
        recipients: "a\u{2029}b".into(),
        ..Default::default()
    };
    let out = write_dat(&[row]);
    let text = String::from_utf8(out.bytes).expect("UTF-8");
    let line = text.split_terminator("\r\n").nth(1).expect("record line");
    let fields: Vec<&str> = line.split('\u{14}').collect();
    assert_eq!(
        fields[10],
        "þone®two®three®four®five six th Acme(R) bellendþ"
    );
    assert_eq!(fields[12], "þa®bþ");
    assert_eq!(fields.len(), 26);

    let sub = |column: &str, character: &str| Substitution {
        control_id: "DOC-000042".into(),
        column: column.into(),
        character: character.into(),
    };
    assert_eq!(
        out.substitutions,
        vec![
            sub("TITLE", "\r\n"),
            sub("TITLE", "\n"),
            sub("TITLE", "\u{2028}"),
            sub("TITLE", "\u{0B}"),
            sub("TITLE", "\u{14}"),
            sub("TITLE", "þ"),
            sub("TITLE", "®"),
            sub("TITLE", "\u{07}"),
            sub("RECIPIENTS", "\u{2029}"),
        ]
    );
    let report: Vec<String> = out.substitutions.iter().map(ToString::to_string).collect();
    assert_eq!(report[0], "DOC-000042 TITLE: U+000D U+000A written as `®`");
    assert_eq!(report[7], "DOC-000042 TITLE: U+0007 removed");
}

#[test]
fn dat_never_prefixes_formula_like_values() {
    let row = IndexRow {
        control_id: "DOC-000043".into(),
        title: "=SUM(A1)".into(),
        author: "-2".into(),
        ..Default::default()
    };
    let text = String::from_utf8(write_dat(&[row]).bytes).expect("UTF-8");
    assert!(
        text.contains("þ=SUM(A1)þ") && text.contains("þ-2þ"),
        "{text}"
    );
    assert!(!text.contains('\''));
}

#[test]
fn csv_neutralises_formula_starts_exactly() {
    let row = PrivLogRow {
        log_id: "PRIV-000009".into(),
        control_id: "DOC-000044".into(),
        treatment: "Redacted".into(),
        doc_date: Some("2021-01-05".into()),
        doc_type: "=SUM(A1)".into(),
        author: "+1".into(),
        recipients: "-2".into(),
        description: "@x".into(),
        privilege: "\tTabbed".into(),
        category: "\rCR".into(),
        volume: "a=b".into(),
        ..Default::default()
    };
    let bytes = privlog_csv(&[row]).unwrap();
    let expected = "\u{FEFF}LOG_ID,BEGBATES,ENDBATES,CONTROL_ID,TREATMENT,DOC_DATE,DOC_TYPE,\
                    AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE,CATEGORY,VOLUME,\
                    BEGATTACH,ENDATTACH,PARENT_BATES\r\n\
                    PRIV-000009,,,DOC-000044,Redacted,2021-01-05,'=SUM(A1),'+1,'-2,'@x,\
                    '\tTabbed,\"'\rCR\",a=b,,,\r\n";
    if bytes != expected.as_bytes() {
        panic!("{}", byte_diff(expected.as_bytes(), &bytes));
    }

    let index = IndexRow {
        title: "=HYPERLINK(\"http://x\")".into(),
        ..Default::default()
    };
    let text = String::from_utf8(index_csv(&[index]).unwrap()).expect("UTF-8");
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{text}"
    );
}

#[test]
fn opt_refuses_a_comma_in_a_path_or_key() {
    let mut docs = opt_docs();
    docs[1].image_path = r"VOL001\IMAGES\0001\DHS-MPP-000104,final.pdf".into();
    match write_opt(&docs) {
        Err(OptError::Comma {
            field: "PATH",
            value,
        }) => assert!(value.contains(",final")),
        other => panic!("expected a comma refusal for the path, got {other:?}"),
    }
    let mut docs = opt_docs();
    docs[0].page_keys[2] = "DHS-MPP,000103".into();
    let err = write_opt(&docs).expect_err("comma in key");
    assert!(
        matches!(err, OptError::Comma { field: "KEY", .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("DHS-MPP,000103"), "{err}");
}
