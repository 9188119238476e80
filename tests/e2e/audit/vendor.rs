//! Productions laid out the way other tools lay them out: other column
//! names, folder names and encodings, natives beside images, page images
//! named by page, several volumes in one folder; malformed load files; and
//! inputs that cannot be audited at all (exit 2).

use crate::audit_util::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// PROD002: a Windows-1252 DAT with þ qualifiers in LOADFILES/, vendor column
/// names (BegDoc, EndDoc, PageCount, DocLink, MD5HASH), natives beside images,
/// images tied by name (no IMAGELINK), and an OPT.
fn cp1252_volume(parent: &Path, native_md5: Option<&str>) -> std::path::PathBuf {
    let root = parent.join("PROD002");
    let native = b"D0CF11E0 legacy spreadsheet bytes".to_vec();
    write(
        &root.join("IMAGES/001/ABC0000001.pdf"),
        &pdf(2, "ABC0000001", false),
    );
    write(
        &root.join("IMAGES/001/ABC0000003.pdf"),
        &pdf(1, "Produced in native format", false),
    );
    write(&root.join("NATIVES/001/ABC0000003.xls"), &native);
    write(
        &root.join("IMAGES/001/ABC0000004.pdf"),
        &pdf(1, "ABC0000004", false),
    );
    let real = md5(&native);
    let rows = vec![
        strings(&[
            "ABC0000001",
            "ABC0000002",
            "2",
            "Peña, José",
            "Reunión – acuerdo ’24",
            "",
            &md5(b"original email"),
        ]),
        strings(&[
            "ABC0000003",
            "ABC0000003",
            "1",
            "Ruiz, Ana",
            "Budget™ “final”",
            r"NATIVES\001\ABC0000003.xls",
            native_md5.unwrap_or(&real),
        ]),
        strings(&[
            "ABC0000004",
            "ABC0000004",
            "1",
            "Ruiz, Ana",
            "Café schedule",
            "",
            "",
        ]),
    ];
    let headers = [
        "BegDoc",
        "EndDoc",
        "PageCount",
        "Custodian",
        "Title",
        "DocLink",
        "MD5HASH",
    ];
    write(
        &root.join("LOADFILES/PROD002.dat"),
        &dat(&headers, &rows, Enc::Cp1252, 'þ'),
    );
    let opt = "ABC0000001,PROD002,IMAGES\\001\\ABC0000001.pdf,Y,,,2\r\n\
               ABC0000002,PROD002,IMAGES\\001\\ABC0000001.pdf,,,,\r\n\
               ABC0000003,PROD002,IMAGES\\001\\ABC0000003.pdf,Y,,,1\r\n\
               ABC0000004,PROD002,IMAGES\\001\\ABC0000004.pdf,Y,,,1\r\n";
    write(&root.join("LOADFILES/PROD002.opt"), opt.as_bytes());
    root
}

#[test]
fn windows_1252_dat_with_vendor_columns_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = cp1252_volume(tmp.path(), None);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}{json:#}");
    let index = &json["volumes"][0]["index"];
    assert_eq!(index["path"], "PROD002/LOADFILES/PROD002.dat");
    assert_eq!(index["format"], "Concordance DAT");
    assert_eq!(index["encoding"], "Windows-1252");
    assert_eq!(index["qualifier"], "þ (thorn, U+00FE)");
    assert_eq!(index["columns"]["BEGBATES"], "BegDoc");
    assert_eq!(index["columns"]["NATIVELINK"], "DocLink");
    assert_eq!(index["columns"]["HASH"], "MD5HASH");
    let (_, out, _) = audit_text(&[s(&vol)]);
    assert!(out.contains("Windows-1252"), "{out}");
}

#[test]
fn windows_1252_dat_hash_mismatch_on_the_native() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = cp1252_volume(tmp.path(), Some("ffffffffffffffffffffffffffffffff"));
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "HASH_MISMATCH");
    assert_eq!(bates_of(&f), vec!["ABC0000003"]);
    assert_eq!(files_of(&f), vec!["PROD002/NATIVES/001/ABC0000003.xls"]);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .ends_with("but MD5HASH for ABC0000003 says ffffffffffffffffffffffffffffffff."),
        "{f:#}"
    );
}

/// The Smith production's index: its headers and rows.
fn smith_index() -> ([&'static str; 5], Vec<Vec<String>>) {
    let headers = [
        "Prod Beg Bates",
        "Prod End Bates",
        "# Pages",
        "Redacted (Y/N)",
        "Record Category",
    ];
    let rows = vec![
        strings(&["ABC-0000001", "ABC-0000003", "3", "N", "1"]),
        strings(&["ABC-0000004", "ABC-0000004", "1", "Y", "2"]),
        strings(&["ABC-0000005", "ABC-0000006", "2", "N", "1"]),
    ];
    (headers, rows)
}

/// "Smith Production 2024": an XLSX index and an XLSX privilege log at the
/// top, mixed-case folders, other column names, no links.
fn xlsx_volume(parent: &Path, with_last_file: bool) -> std::path::PathBuf {
    let root = parent.join("Smith Production 2024");
    write(
        &root.join("Images/ABC-0000001.pdf"),
        &pdf(3, "ABC-0000001", false),
    );
    write(
        &root.join("Images/ABC-0000004.pdf"),
        &pdf(1, "ABC-0000004 redacted", false),
    );
    if with_last_file {
        write(
            &root.join("Images/ABC-0000005.pdf"),
            &pdf(2, "ABC-0000005", false),
        );
    }
    let (headers, rows) = smith_index();
    write(&root.join("Production Index.xlsx"), &xlsx(&headers, &rows));
    let log_headers = [
        "Entry No.",
        "Bates Range",
        "Date",
        "Document Type",
        "Author",
        "Recipient(s)",
        "Description",
        "Privilege Asserted",
    ];
    let log = vec![strings(&[
        "1",
        "ABC-0000004 - ABC-0000004",
        "2022-11-02",
        "Email",
        "J. Doe",
        "R. Roe",
        "Advice of counsel on the draft",
        "Attorney-Client",
    ])];
    write(&root.join("Privilege Log.xlsx"), &xlsx(&log_headers, &log));
    root
}

#[test]
fn xlsx_index_at_the_top_with_other_names_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = xlsx_volume(tmp.path(), true);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}{json:#}");
    let v = &json["volumes"][0];
    assert_eq!(v["index"]["format"], "XLSX");
    assert_eq!(
        v["privilege_log"]["path"],
        "Smith Production 2024/Privilege Log.xlsx"
    );
    assert_eq!(v["privilege_log"]["columns"]["BATES"], "Bates Range");
    assert_eq!(json["categories"][1]["redacted"], 1);
}

#[test]
fn xlsx_index_missing_file_names_the_row() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = xlsx_volume(tmp.path(), false);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "MISSING_FILE");
    assert_eq!(bates_of(&f), vec!["ABC-0000005"]);
    assert_eq!(
        f["message"],
        "No file was found for ABC-0000005 – ABC-0000006 (Smith Production 2024/Production Index.xlsx line 4): no link names one and no file under IMAGES/, NATIVES/ or TEXT/ is named `ABC-0000005.*`."
    );
}

/// VOL7: a UTF-16LE DAT with plain-quote qualifiers, FIRSTBATES/LASTBATES and
/// LINK; single-page TIFF images named by page; inserted pages with suffixes;
/// two prefixes; an OPT naming every page.
#[test]
fn utf16_dat_page_images_suffixes_and_two_prefixes_audit_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("VOL7");
    // Real one-page TIFFs: the audit counts their frames.
    let tiff = |_page: &str| tiff_page();
    let mut opt = String::new();
    let mut page = |key: &str, file: &str, first: bool, count: usize| {
        write(
            &root.join(file.replace('\\', "/")),
            &if file.ends_with(".tif") {
                tiff(key)
            } else {
                pdf(count, key, false)
            },
        );
        let (y, n) = if first {
            ("Y", count.to_string())
        } else {
            ("", String::new())
        };
        opt.push_str(&format!("{key},VOL7,{file},{y},,,{n}\r\n"));
    };
    page("ABC-0000001", r"IMAGES\ABC-0000001.tif", true, 2);
    page("ABC-0000002", r"IMAGES\ABC-0000002.tif", false, 2);
    page("ABC-0000003", r"IMAGES\ABC-0000003.tif", true, 1);
    page("ABC-0000003A", r"IMAGES\ABC-0000003A.tif", true, 1);
    page("ABC-0000003.001", r"IMAGES\ABC-0000003.001.tif", true, 1);
    page("XYZ_00010", r"IMAGES\XYZ_00010.pdf", true, 2);
    opt.push_str("XYZ_00011,VOL7,IMAGES\\XYZ_00010.pdf,,,,\r\n");
    write(
        &root.join("NATIVES/ABC-0000003.docx"),
        b"PK native word file",
    );
    let rows = vec![
        strings(&["ABC-0000001", "ABC-0000002", "2", ""]),
        strings(&[
            "ABC-0000003",
            "ABC-0000003",
            "1",
            r"NATIVES\ABC-0000003.docx",
        ]),
        strings(&["ABC-0000003A", "ABC-0000003A", "1", ""]),
        strings(&["ABC-0000003.001", "ABC-0000003.001", "1", ""]),
        strings(&["XYZ_00010", "XYZ_00011", "2", ""]),
    ];
    write(
        &root.join("DATA/VOL7.dat"),
        &dat(
            &["FIRSTBATES", "LASTBATES", "PGCOUNT", "LINK"],
            &rows,
            Enc::Utf16LeBom,
            '"',
        ),
    );
    write(&root.join("DATA/VOL7.opt"), opt.as_bytes());
    let (code, json, err) = audit_json(&[s(&root)]);
    assert_eq!(code, 0, "{err}{json:#}");
    let v = &json["volumes"][0];
    assert_eq!(v["index"]["encoding"], "UTF-16LE with BOM");
    assert_eq!(v["index"]["qualifier"], "\" (plain quote)");
    assert_eq!(
        v["patterns"],
        serde_json::json!(["ABC-#######", "XYZ_#####"])
    );
}

#[test]
fn a_folder_of_volumes_is_audited_with_gaps_and_overlaps_across_volumes() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("received");
    ProduceVolume::standard("VOL001", 1, 1, 1, false).write(&parent);
    ProduceVolume::standard("VOL002", 10, 11, 11, false).write(&parent); // 8 and 9 skipped
    ProduceVolume::standard("VOL003", 16, 21, 21, false).write(&parent); // 16 claimed twice
    let (code, json, _) = audit_json(&[s(&parent)]);
    assert_eq!(code, 1);
    assert_eq!(json["summary"]["volumes"], 3);
    assert_eq!(codes(&json), vec!["BATES_GAP", "BATES_OVERLAP"], "{json:#}");
    let gap = &with_code(&json, "BATES_GAP")[0];
    assert_eq!(gap["volume"], "VOL001, VOL002");
    assert_eq!(bates_of(gap), vec!["DHS-MPP-000008", "DHS-MPP-000009"]);
    assert_eq!(
        gap["message"],
        "No document claims DHS-MPP-000008 to DHS-MPP-000009 (2 numbers), between the end of VOL001 (DHS-MPP-000007) and the start of VOL002 (DHS-MPP-000010)."
    );
    let overlap = &with_code(&json, "BATES_OVERLAP")[0];
    assert_eq!(overlap["volume"], "VOL002, VOL003");
    assert_eq!(bates_of(overlap), vec!["DHS-MPP-000016"]);
    assert_eq!(
        overlap["message"],
        "DHS-MPP-000016 (1 number) is claimed by two documents: DHS-MPP-000016 in VOL002 and DHS-MPP-000016 – DHS-MPP-000018 in VOL003."
    );
}

#[test]
fn dat_with_different_field_counts_is_reported_by_line_and_the_rest_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = ProduceVolume::standard("VOL001", 1, 1, 1, false);
    v.docs[3].beg = bates(9); // a planted gap: 7 and 8
    v.docs[3].end = bates(9);
    let vol = v.write(tmp.path());
    let dat_path = vol.join("DATA/VOL001.dat");
    let text = std::fs::read_to_string(&dat_path).unwrap();
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
    lines[2] = lines[2].replacen("þ\u{14}þRuiz, Ana", "Ruiz, Ana", 1); // line 3 loses a field
    std::fs::write(&dat_path, lines.join("\r\n")).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    assert_eq!(codes(&json), vec!["BATES_GAP", "READ_ERROR"], "{json:#}");
    let f = &with_code(&json, "READ_ERROR")[0];
    assert_eq!(f["location"]["file"], "VOL001/DATA/VOL001.dat");
    assert_eq!(f["location"]["line"], 3);
    assert_eq!(
        f["message"],
        "The index at line 3: the record has 20 fields but the header has 21; only its Bates numbers were used."
    );
}

#[test]
fn csv_with_a_broken_quote_is_reported_by_line_and_the_rest_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("PROD9");
    for (b, pages) in [("P-0001", 2), ("P-0003", 1), ("P-0004", 1)] {
        write(&root.join(format!("IMAGES/{b}.pdf")), &pdf(pages, b, false));
    }
    write(&root.join("IMAGES/P-0099.pdf"), &pdf(1, "stray", false));
    let text = "\u{feff}ProdBegBates,ProdEndBates,Pages,Title\r\nP-0001,P-0002,2,Plain\r\nP-0003,P-0003,1,\"Memo, draft\r\nP-0004,P-0004,1,Fine\r\n";
    write(&root.join("DATA/PROD9_index.csv"), text.as_bytes());
    let (code, json, _) = audit_json(&[s(&root)]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&json),
        vec!["UNINDEXED_FILE", "READ_ERROR"],
        "{json:#}"
    );
    let f = &with_code(&json, "READ_ERROR")[0];
    assert_eq!(f["location"]["line"], 3);
    assert_eq!(
        f["message"],
        "The index at line 3: a quoted field opened on line 3 is never closed (a broken quote); the line was read on its own."
    );
}

#[test]
fn xlsx_with_merged_header_cells_is_reported_by_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("PROD5");
    for b in ["M-000001", "M-000002"] {
        write(&root.join(format!("IMAGES/{b}.pdf")), &pdf(1, b, false));
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "DOCID").unwrap();
    ws.merge_range(0, 1, 0, 2, "Bates", &rust_xlsxwriter::Format::new())
        .unwrap();
    ws.write_string(0, 3, "PGCOUNT").unwrap();
    for (r, b) in ["M-000001", "M-000002"].iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, format!("DOC-{r}")).unwrap();
        ws.write_string(r, 1, *b).unwrap();
        ws.write_string(r, 2, *b).unwrap();
        ws.write_string(r, 3, "1").unwrap();
    }
    write(
        &root.join("DATA/index.xlsx"),
        &book.save_to_buffer().unwrap(),
    );
    let (code, json, _) = audit_json(&[s(&root)]);
    assert_eq!(code, 1);
    let f = only(&json, "READ_ERROR");
    assert_eq!(f["location"]["cell"], "B1:C1");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("header cells B1:C1 are merged"),
        "{f:#}"
    );
}

#[test]
fn load_files_given_outside_the_volume_resolve_links_from_their_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("VOLX");
    write(&root.join("IMAGES/Q-01.pdf"), &pdf(1, "Q-01", false));
    write(&root.join("IMAGES/Q-02.pdf"), &pdf(1, "Q-02", false));
    let loads = tmp.path().join("loads");
    let rows = vec![
        strings(&["Q-01", "Q-01", r"..\VOLX\IMAGES\Q-01.pdf", "Withheld"]),
        strings(&["Q-02", "Q-02", r"..\VOLX\IMAGES\Q-02.pdf", "Produced"]),
    ];
    write(
        &loads.join("index.csv"),
        &csv(&["BEGBATES", "ENDBATES", "IMAGELINK", "STATUS"], &rows),
    );
    let log = vec![strings(&[
        "PRIV-1",
        "Q-01",
        "Q-01",
        "Withheld",
        "2020-01-01",
        "Memo",
        "A",
        "B",
        "Advice",
        "AC",
    ])];
    write(
        &loads.join("log.csv"),
        &csv(
            &[
                "LOG_ID",
                "BEGBATES",
                "ENDBATES",
                "TREATMENT",
                "DOC_DATE",
                "DOC_TYPE",
                "AUTHOR",
                "RECIPIENTS",
                "DESCRIPTION",
                "PRIVILEGE",
            ],
            &log,
        ),
    );
    write(
        &loads.join("images.opt"),
        b"Q-01,VOLX,VOLX\\IMAGES\\Q-01.pdf,Y,,,1\r\nQ-02,VOLX,VOLX\\IMAGES\\Q-02.pdf,Y,,,1\r\n",
    );
    let (index, log, opt) = (
        loads.join("index.csv"),
        loads.join("log.csv"),
        loads.join("images.opt"),
    );
    let args = [
        s(&root),
        "--index",
        s(&index),
        "--privlog",
        s(&log),
        "--opt",
        s(&opt),
    ];
    let (code, json, err) = audit_json(&args);
    assert_eq!(code, 0, "{err}{json:#}");
    assert_eq!(json["volumes"][0]["log_entries"], 1);
}

#[test]
fn bates_pattern_option_overrides_the_learned_pattern() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(tmp.path());
    let (code, _, _) = audit_json(&[s(&vol), "--bates-pattern", "DHS-MPP-:6"]);
    assert_eq!(code, 0);
    let (code, json, _) = audit_json(&[s(&vol), "--bates-pattern", "DHS-MPP-:7"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&json), vec!["BATES_FORMAT"; 4]);
    let (code, _, err) = audit_json(&[s(&vol), "--bates-pattern", "DHS MPP:6"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--bates-pattern") && err.contains("hint:"),
        "{err}"
    );
}

#[test]
fn unreadable_inputs_exit_2_with_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = audit_json(&[s(&tmp.path().join("nope"))]);
    assert_eq!(code, 2);
    assert!(
        err.contains("does not exist") && err.contains("hint:"),
        "{err}"
    );

    let bare = tmp.path().join("bare");
    write(&bare.join("IMAGES/A-1.pdf"), &pdf(1, "A-1", false));
    let (code, _, err) = audit_json(&[s(&bare)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no index was found") && err.contains("--index"),
        "{err}"
    );

    write(&bare.join("DATA/index.xlsx"), b"this is not a workbook");
    let (code, _, err) = audit_json(&[s(&bare), "--index", s(&bare.join("DATA/index.xlsx"))]);
    assert_eq!(code, 2);
    assert!(
        err.contains("index.xlsx") && err.contains("not a readable spreadsheet"),
        "{err}"
    );

    write(
        &bare.join("DATA/index.csv"),
        b"Title,Author\r\nA memo,Someone\r\n",
    );
    let (code, _, err) = audit_json(&[s(&bare), "--index", s(&bare.join("DATA/index.csv"))]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no column adrec recognises as BEGBATES") && err.contains("`Title`, `Author`"),
        "{err}"
    );

    let vol = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(tmp.path());
    let (code, _, err) = audit_json(&[s(&vol), "--report", s(&tmp.path().join("report.pdf"))]);
    assert_eq!(code, 2);
    assert!(err.contains(".csv, .xlsx, .json, .md or .html"), "{err}");
    let (code, _, err) = audit_json(&[s(&vol), "--categories", s(&bare.join("DATA/index.csv"))]);
    assert_eq!(code, 2);
    assert!(err.contains("categories") && err.contains("`id`"), "{err}");
}

#[test]
fn ods_index_and_utf8_dat_without_bom_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ODSVOL");
    write(&root.join("PDF/R-001.pdf"), &pdf(2, "R-001", false));
    write(&root.join("PDF/R-003.pdf"), &pdf(1, "R-003", false));
    let rows = vec![
        strings(&["R-001", "R-002", "2"]),
        strings(&["R-003", "R-003", "1"]),
    ];
    write(
        &root.join("load/index.ods"),
        &ods(&["Beg Bates", "End Bates", "Page Count"], &rows),
    );
    let (code, json, err) = audit_json(&[s(&root)]);
    assert_eq!(code, 0, "{err}{json:#}");
    assert_eq!(json["volumes"][0]["index"]["format"], "ODS");
    assert_eq!(json["volumes"][0]["documents"], 2);

    // The same rows as a UTF-8 DAT with no BOM and plain quotes, beside it.
    write(
        &root.join("load/index.dat"),
        &dat(&["BEGBATES", "ENDBATES", "PGCOUNT"], &rows, Enc::Utf8, '"'),
    );
    let (code, json, err) = audit_json(&[s(&root)]);
    assert_eq!(code, 0, "{err}{json:#}");
    assert_eq!(json["volumes"][0]["index"]["encoding"], "UTF-8 (no BOM)");
    assert_eq!(json["volumes"][0]["index"]["path"], "ODSVOL/load/index.dat");
}

/// A DAT whose IMAGELINK names each document's first-page TIFF, the other
/// pages being files of their own named by page (listed in the OPT).
#[test]
fn imagelink_to_the_first_page_with_page_files_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("TIFFVOL");
    let mut opt = String::new();
    for (doc, pages) in [(1u32, 3u32), (4, 1)] {
        for p in 0..pages {
            let key = format!("T{:06}", doc + p);
            write(&root.join(format!("IMAGES/001/{key}.tif")), &tiff_page());
            let (y, n) = if p == 0 {
                ("Y", pages.to_string())
            } else {
                ("", String::new())
            };
            opt.push_str(&format!(
                "{key},TIFFVOL,IMAGES\\001\\{key}.tif,{y},,,{n}\r\n"
            ));
        }
    }
    write(&root.join("DATA/TIFFVOL.opt"), opt.as_bytes());
    let rows = vec![
        strings(&["T000001", "T000003", "3", r"IMAGES\001\T000001.tif"]),
        strings(&["T000004", "T000004", "1", r"IMAGES\001\T000004.tif"]),
    ];
    write(
        &root.join("DATA/TIFFVOL.dat"),
        &dat(
            &["BEGBATES", "ENDBATES", "PGCOUNT", "IMAGELINK"],
            &rows,
            Enc::Utf8Bom,
            'þ',
        ),
    );
    let (code, json, err) = audit_json(&[s(&root)]);
    assert_eq!(code, 0, "{err}{json:#}");
    // Without the OPT, the page files still belong to their documents by name.
    std::fs::remove_file(root.join("DATA/TIFFVOL.opt")).unwrap();
    let (code, json, err) = audit_json(&[s(&root)]);
    assert_eq!(code, 0, "{err}{json:#}");
}

/// The same index with a reviewer's note typed far below and to the right
/// of it: the sheet spans 27 million cells, more than the 2,000,000 a sheet
/// read as one box may span (it was refused: nothing audited), but an XLSX
/// index is read row by row: the rows audit, and the note, in a column with
/// no header, is one finding naming its cell.
#[test]
fn xlsx_index_with_a_stray_far_cell_is_read_row_by_row() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = xlsx_volume(tmp.path(), true);
    let (headers, rows) = smith_index();
    let far = [(1_048_575, 25, "checked by JD")];
    write(
        &vol.join("Production Index.xlsx"),
        &xlsx_with(&headers, &rows, &far),
    );
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1, "{err}{json:#}");
    let v = &json["volumes"][0];
    assert_eq!(v["index"]["format"], "XLSX");
    assert_eq!(v["index"]["records"], 3);
    let f = only(&json, "READ_ERROR");
    assert_eq!(f["location"]["line"], 1_048_576, "{f:#}");
    assert_eq!(
        f["message"],
        "The index at cell Z1048576: a value past the last headed column (E) was not read: give its column a header, or delete it."
    );
}

/// The same index with a treatment adrec does not know: the note names
/// the row as a spreadsheet does (`row 2`, not `line 2`).
#[test]
fn xlsx_index_odd_treatment_names_its_row() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = xlsx_volume(tmp.path(), true);
    let (headers, mut rows) = smith_index();
    let mut headers = headers.to_vec();
    headers.push("Treatment");
    for (i, row) in rows.iter_mut().enumerate() {
        row.push(if i == 0 { "maybe" } else { "" }.to_string());
    }
    write(&vol.join("Production Index.xlsx"), &xlsx(&headers, &rows));
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}{json:#}");
    assert_eq!(
        json["volumes"][0]["notes"][0],
        "treatment values not understood (counted as Produced): maybe (row 2)"
    );
}
