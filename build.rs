//! Embeds `sample-record/` so `adrec demo` works from any folder.

use std::fmt::Write;
use std::path::Path;

/// Embeds the sample record for `adrec demo`. A failure here is a build
/// error with its cause, not a panic.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=sample-record");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-record");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            println!("cargo:rerun-if-changed={}", path.display());
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(&root) {
                files.push((rel.to_string_lossy().replace('\\', "/"), path.clone()));
            }
        }
    }
    files.sort();
    // A binary without its sample record has a demo that cannot run: stop
    // the build instead of embedding nothing.
    assert!(
        !files.is_empty(),
        "sample-record/ is missing or empty in {}: restore it (git checkout -- sample-record)",
        root.display()
    );
    let mut code = String::from(
        "/// The bundled sample record: (relative path, bytes).\npub const FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in &files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR")?).join("sample_record.rs");
    std::fs::write(out, code)?;
    Ok(())
}
