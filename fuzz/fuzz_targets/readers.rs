//! The PDF page counter and the metadata readers on arbitrary bytes.
//!
//! adrec guards every reader with `catch_unwind`, but libFuzzer's panic hook
//! aborts on any panic, caught or not: a crash here is a reader bug to fix
//! (or, inside the PDF library, a case the guard must keep covering).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(facts) = adrec::pdf::inspect(data) {
        assert!(facts.pages > 0);
    }
    for name in ["fuzz.pdf", "fuzz.eml", "fuzz.docx", "fuzz.bin"] {
        let extracted = adrec::extract::extract(data, name);
        assert!(extracted.pages.is_none() || extracted.problem.is_none());
    }
});
