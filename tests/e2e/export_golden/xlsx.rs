//! XLSX writers read back with calamine and unzipped with `zip`: cell types,
//! inert formulas, truncation, frozen header, autofilter, properties, and
//! byte-identical output on a second run.

use std::io::{Cursor, Read};

use adrec::export::xlsx::{TRUNCATED_LEN, TRUNCATION_NOTE};
use adrec::export::{IndexRow, Truncation, XlsxProps, index_xlsx, privlog_xlsx};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::{index_rows, privlog_rows};

fn props(sheet: &str) -> XlsxProps {
    XlsxProps {
        title: "VOL001 production index".into(),
        date: jiff::civil::date(2024, 4, 1),
        sheet_name: sheet.into(),
    }
}

/// Every cell of the named sheet, by absolute (row, column).
fn read_sheet(bytes: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("open XLSX");
    assert_eq!(
        wb.sheet_names(),
        vec![sheet.to_string()],
        "exactly one sheet"
    );
    wb.worksheet_range(sheet).expect("read sheet")
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("XLSX is a zip");
    let mut part = zip.by_name(name).expect("part present");
    let mut text = String::new();
    part.read_to_string(&mut text).expect("UTF-8 part");
    text
}

fn s(v: &str) -> Data {
    Data::String(v.into())
}

#[test]
fn index_cells_have_the_right_types() {
    let mut rows = index_rows();
    rows[0].title = "=HYPERLINK(\"http://x\")".into();
    rows[1].begbates = "000123".into();
    let out = index_xlsx(&rows, &props("Index")).expect("XLSX");
    assert!(out.truncations.is_empty());
    let range = read_sheet(&out.bytes, "Index");

    assert_eq!(cell(&range, 0, 0), s("BEGBATES"));
    assert_eq!(cell(&range, 0, 18), s("DUPLICATES"));
    assert_eq!(cell(&range, 0, 22), s("ATTACH_BATES"));
    assert_eq!(range.get_size(), (4, 23), "header + 3 rows, 23 columns");

    // Bates numbers, hashes (even all digits) and formula-looking text are strings.
    assert_eq!(cell(&range, 1, 0), s("DHS-MPP-000101"));
    assert_eq!(cell(&range, 2, 0), s("000123"));
    assert_eq!(cell(&range, 1, 15), s(rows[0].produced_sha256.as_str()));
    assert_eq!(cell(&range, 2, 17), s("12345678901234567890123456789012"));
    assert_eq!(cell(&range, 1, 10), s("=HYPERLINK(\"http://x\")"));

    // PGCOUNT is a number.
    assert_eq!(cell(&range, 1, 2), Data::Float(3.0));
    assert_eq!(cell(&range, 3, 2), Data::Float(1.0));

    // DOC_DATE is a date cell: 2024-03-14 is Excel serial 45365.
    match cell(&range, 1, 8) {
        Data::DateTime(d) => {
            assert!(d.is_datetime());
            assert_eq!(d.as_f64(), 45365.0);
        }
        other => panic!("DOC_DATE should be a date cell, got {other:?}"),
    }
    // Undated index row: blank. Withheld: TITLE, FILENAME, PRODUCED_SHA256 blank.
    for col in [8, 10, 14, 15] {
        assert_eq!(cell(&range, 3, col), Data::Empty, "column {col}");
    }

    let sheet = zip_part(&out.bytes, "xl/worksheets/sheet1.xml");
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "no formula: {sheet}"
    );
    let styles = zip_part(&out.bytes, "xl/styles.xml");
    assert!(
        styles.contains(r#"formatCode="yyyy\-mm\-dd""#)
            || styles.contains(r#"formatCode="yyyy-mm-dd""#),
        "{styles}"
    );
}

#[test]
fn privlog_undated_is_a_string_and_dated_is_a_date() {
    let mut rows = privlog_rows();
    let mut dated = rows[0].clone();
    dated.log_id = "PRIV-000002".into();
    dated.doc_date = Some("1899-12-31".into());
    rows.push(dated);
    let mut dated = rows[0].clone();
    dated.log_id = "PRIV-000003".into();
    dated.doc_date = Some("2023-11-02".into());
    rows.push(dated);

    let out = privlog_xlsx(&rows, &props("Privilege Log")).expect("XLSX");
    let range = read_sheet(&out.bytes, "Privilege Log");
    assert_eq!(cell(&range, 0, 0), s("LOG_ID"));
    assert_eq!(cell(&range, 1, 5), s("Undated"));
    // Excel cannot show dates before 1900: kept as ISO text, not mangled.
    assert_eq!(cell(&range, 2, 5), s("1899-12-31"));
    match cell(&range, 3, 5) {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 45232.0),
        other => panic!("DOC_DATE should be a date cell, got {other:?}"),
    }
}

#[test]
fn overlong_value_is_cut_and_reported() {
    let mut rows = privlog_rows();
    rows[0].description = "d".repeat(40_000);
    let out = privlog_xlsx(&rows, &props("Log")).expect("XLSX");
    assert_eq!(
        out.truncations,
        vec![Truncation {
            control_id: "DOC-000003".into(),
            column: "DESCRIPTION".into(),
        }]
    );
    let range = read_sheet(&out.bytes, "Log");
    let expected = format!("{}{TRUNCATION_NOTE}", "d".repeat(TRUNCATED_LEN));
    assert_eq!(cell(&range, 1, 9), Data::String(expected));

    // Exactly at Excel's limit nothing is cut.
    let mut rows = index_rows();
    rows[2].recipients = "r".repeat(32_767);
    let out = index_xlsx(&rows, &props("Index")).expect("XLSX");
    assert!(out.truncations.is_empty());
    let range = read_sheet(&out.bytes, "Index");
    assert_eq!(cell(&range, 3, 12), Data::String("r".repeat(32_767)));
}

#[test]
fn header_is_bold_frozen_and_filtered() {
    let out = index_xlsx(&index_rows(), &props("Index")).expect("XLSX");
    let sheet = zip_part(&out.bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<pane"), "{sheet}");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#));
    assert!(sheet.contains(r#"<autoFilter ref="A1:W4""#), "{sheet}");
    assert!(sheet.contains("<cols>"), "column widths set");

    // Header cells carry a style whose font is bold; data cells do not.
    let styles = zip_part(&out.bytes, "xl/styles.xml");
    let bold_font = styles.find("<font><b/>").expect("a bold font");
    assert_eq!(
        styles[..bold_font].matches("<font>").count(),
        1,
        "bold is font 1"
    );
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xf1 = xfs.split("<xf ").nth(2).expect("style 1");
    assert!(
        xf1.contains(r#"fontId="1""#),
        "style 1 uses the bold font: {xf1}"
    );
    let header = &sheet[sheet.find(r#"<row r="1""#).expect("row 1")..];
    let header = &header[..header.find("</row>").expect("end of row 1")];
    assert_eq!(header.matches(r#" s="1""#).count(), 23, "{header}");
    assert!(sheet.contains(r#"<c r="A2" t="inlineStr""#), "{sheet}");

    let workbook = zip_part(&out.bytes, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm._FilterDatabase"), "{workbook}");
}

#[test]
fn empty_sheet_still_has_header_filter_and_freeze() {
    let out = privlog_xlsx(&[], &props("Log")).expect("XLSX");
    let sheet = zip_part(&out.bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<autoFilter ref="A1:P1""#), "{sheet}");
    assert!(sheet.contains("<pane"));
    let range = read_sheet(&out.bytes, "Log");
    assert_eq!(range.get_size(), (1, 16));
}

#[test]
fn properties_carry_title_and_date_and_nothing_personal() {
    let out = index_xlsx(&index_rows(), &props("Index")).expect("XLSX");
    let core = zip_part(&out.bytes, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>VOL001 production index</dc:title>"),
        "{core}"
    );
    assert!(
        core.contains(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2024-04-01T00:00:00Z</dcterms:created>"#
        ),
        "{core}"
    );
    assert!(
        core.contains(
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">2024-04-01T00:00:00Z</dcterms:modified>"#
        ),
        "{core}"
    );
    assert!(
        !core.contains("<dc:creator>") || core.contains("<dc:creator></dc:creator>"),
        "{core}"
    );
    assert!(
        !core.contains("<cp:lastModifiedBy>")
            || core.contains("<cp:lastModifiedBy></cp:lastModifiedBy>"),
        "{core}"
    );
    let app = zip_part(&out.bytes, "docProps/app.xml");
    assert!(
        !app.contains("<Company>") || app.contains("<Company></Company>"),
        "{app}"
    );
    for who in ["USER", "LOGNAME", "HOSTNAME"] {
        if let Ok(name) = std::env::var(who)
            && name.len() > 2
        {
            assert!(
                !core.contains(&name) && !app.contains(&name),
                "{who}={name} leaked"
            );
        }
    }
}

#[test]
fn same_rows_give_byte_identical_xlsx() {
    let index = index_rows();
    let log = privlog_rows();
    let first = (
        index_xlsx(&index, &props("Index")).expect("XLSX").bytes,
        privlog_xlsx(&log, &props("Log")).expect("XLSX").bytes,
    );
    // Longer than the zip format's 2-second timestamp resolution.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    let second = (
        index_xlsx(&index, &props("Index")).expect("XLSX").bytes,
        privlog_xlsx(&log, &props("Log")).expect("XLSX").bytes,
    );
    assert!(first.0 == second.0, "index XLSX differs between runs");
    assert!(
        first.1 == second.1,
        "privilege log XLSX differs between runs"
    );

    // And the date is what varies it, nothing else.
    let mut later = props("Index");
    later.date = jiff::civil::date(2024, 4, 2);
    assert_ne!(first.0, index_xlsx(&index, &later).expect("XLSX").bytes);
}

#[test]
fn text_that_looks_like_markup_or_escapes_survives() {
    let rows = vec![IndexRow {
        control_id: "DOC-000050".into(),
        title: "<b>&amp; _x0041_ \u{7} tab\there".into(),
        ..Default::default()
    }];
    let out = index_xlsx(&rows, &props("Index")).expect("XLSX");
    let range = read_sheet(&out.bytes, "Index");
    assert_eq!(cell(&range, 1, 10), s("<b>&amp; _x0041_ \u{7} tab\there"));
}
