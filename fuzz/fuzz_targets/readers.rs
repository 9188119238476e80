//! The PDF page counters (full and the audit's fast path), the metadata
//! readers, the audit's load-file readers (sniffing, OPT, IPRO LFP,
//! Summation DII, EDRM XML, TIFF frame counts), the text extractor with its
//! covered-text check, and the natives' text readers on arbitrary bytes.
//!
//! adrec guards every reader with `catch_unwind`: a panic inside the guard
//! is an error the user sees, not a crash, and passes here too; any other
//! panic aborts, and is a reader bug to fix.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod panic_policy;
use panic_policy::panic_policy;

fuzz_target!(|data: &[u8]| {
    panic_policy();
    let full = adrec::pdf::inspect(data);
    if let Ok(facts) = &full {
        assert!(facts.pages > 0);
    }
    // The fast paths either step aside or agree with the full reader.
    if let (Some(quick), Ok(full)) = (adrec::pdf::quick::facts(data), &full) {
        assert_eq!(quick.pages, full.pages, "fast path and lopdf disagree on the page count");
    }
    if let Some(quick) = adrec::pdf::quick::inspect(data)
        && let Ok(full) = adrec::pdf::read::inspect_full(data)
    {
        assert_eq!(quick, full, "the quick and full readers disagree");
    }
    use adrec::audit::read;
    let _ = read::sniff::sniff(data);
    for xref in [read::opt::read(data), read::lfp::read(data), read::dii::read(data)] {
        assert!(xref.lines.iter().all(|l| l.line > 0));
    }
    if let Ok(table) = read::edrm::read(data) {
        assert!(table.records.iter().all(|r| r.cells.len() == table.headers.len()));
    }
    if let Ok(frames) = read::tiff::frames(data) {
        assert!(frames > 0);
    }
    // Text never panics: a readable PDF gives one text page per page.
    if let (Ok(text), Ok(facts)) = (adrec::pdf::text::extract(data), &full) {
        assert_eq!(text.pages.len() as u64, facts.pages);
        let _ = text.file_bytes();
    }
    for kind in [
        adrec::model::FileKind::Docx,
        adrec::model::FileKind::Pptx,
        adrec::model::FileKind::Xlsx,
        adrec::model::FileKind::Email,
        adrec::model::FileKind::Other,
    ] {
        let _ = adrec::extract::text::native_text(data, kind, "fuzz.txt");
    }
    for name in ["fuzz.pdf", "fuzz.eml", "fuzz.docx", "fuzz.bin"] {
        let extracted = adrec::extract::extract(data, name);
        assert!(extracted.pages.is_none() || extracted.problem.is_none());
    }
});
