//! The PDF page counters (full and the audit's fast path) and the metadata
//! readers on arbitrary bytes.
//!
//! adrec guards every reader with `catch_unwind`, but libFuzzer's panic hook
//! aborts on any panic, caught or not: a crash here is a reader bug to fix
//! (or, inside the PDF library, a case the guard must keep covering).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let full = adrec::pdf::inspect(data);
    if let Ok(facts) = &full {
        assert!(facts.pages > 0);
    }
    // The audit's fast path either steps aside or agrees with the full reader.
    if let (Some(quick), Ok(full)) = (adrec::pdf::quick::facts(data), &full) {
        assert_eq!(quick.pages, full.pages, "fast path and lopdf disagree on the page count");
    }
    for name in ["fuzz.pdf", "fuzz.eml", "fuzz.docx", "fuzz.bin"] {
        let extracted = adrec::extract::extract(data, name);
        assert!(extracted.pages.is_none() || extracted.problem.is_none());
    }
});
