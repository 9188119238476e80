//! The sheet readers on arbitrary bytes: review sheets (`tag --from`, read
//! from a file as the user gives it, under each extension it might carry)
//! and audit indexes and logs (XLSX/ODS/XLS, CSV, DAT). Each must return a
//! table or an error — never panic, hang or allocate what the bytes declare.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fn scratch(ext: &str) -> PathBuf {
    std::env::temp_dir().join(format!("adrec-fuzz-{}.{ext}", std::process::id()))
}

mod panic_policy;
use panic_policy::panic_policy;

fuzz_target!(|data: &[u8]| {
    panic_policy();
    for ext in ["xlsx", "ods", "xls", "csv"] {
        let path = scratch(ext);
        if std::fs::write(&path, data).is_ok() {
            let _ = adrec::review::sheet::read(&path, None);
        }
        let _ = std::fs::remove_file(&path);
    }
    let _ = adrec::audit::read::xlsx::read(data);
    let _ = adrec::audit::read::csv::read(data);
    let _ = adrec::audit::read::dat::read(data);
});
