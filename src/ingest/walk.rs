//! Walking the PATHs given to ingest: deterministic order, skip rules, and
//! every file either a candidate, a failure or a listed skip.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file found under an ingest PATH.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Where it was found (through links, if followed).
    pub path: PathBuf,
    /// The PATH given, canonicalised (a file's parent for a file PATH).
    pub root: PathBuf,
    /// Relative to the PATH given, `/`-separated.
    pub rel_path: String,
}

/// A path that is not ingested and not a failure, with why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// A path whose bytes could not be reached.
#[derive(Debug, Clone)]
pub struct WalkFailure {
    pub path: PathBuf,
    pub root: PathBuf,
    pub rel_path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Candidate>,
    pub failures: Vec<WalkFailure>,
    pub skipped: Vec<Skipped>,
}

fn rel(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Walks one PATH (already checked to exist and canonicalised). `own` are the
/// matter's folders, never walked.
pub fn walk(path: &Path, follow_links: bool, own: &[PathBuf], out: &mut Walk) {
    let (root, single) = if path.is_dir() {
        (path.to_path_buf(), false)
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            true,
        )
    };
    let mut files = Vec::new();
    let walker = WalkDir::new(path)
        .follow_links(follow_links)
        .follow_root_links(true);
    let mut it = walker.into_iter();
    loop {
        let entry = match it.next() {
            None => break,
            Some(Ok(entry)) => entry,
            Some(Err(err)) => {
                let at = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| path.to_path_buf());
                let reason = if let Some(ancestor) = err.loop_ancestor() {
                    format!("symbolic link loop back to `{}`", ancestor.display())
                } else if let Some(io) = err.io_error() {
                    match io.kind() {
                        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                        std::io::ErrorKind::NotFound if at.is_symlink() => {
                            "broken symbolic link (its target is missing)".into()
                        }
                        std::io::ErrorKind::NotFound => {
                            "vanished while the folder was being read".into()
                        }
                        _ => io.to_string(),
                    }
                } else {
                    err.to_string()
                };
                out.failures.push(WalkFailure {
                    rel_path: rel(&root, &at),
                    path: at,
                    root: root.clone(),
                    reason,
                });
                continue;
            }
        };
        let p = entry.path();
        if entry.file_type().is_dir() {
            let own_folder = own
                .iter()
                .any(|o| p == o || (follow_links && p.canonicalize().is_ok_and(|c| &c == o)));
            if own_folder {
                out.skipped.push(Skipped {
                    path: p.display().to_string(),
                    reason: "the matter's own folder".into(),
                });
                it.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() && !follow_links {
            if std::fs::metadata(p).is_err() {
                out.failures.push(WalkFailure {
                    path: p.to_path_buf(),
                    root: root.clone(),
                    rel_path: rel(&root, p),
                    reason: "broken symbolic link (its target is missing)".into(),
                });
            } else {
                out.skipped.push(Skipped {
                    path: p.display().to_string(),
                    reason: "symbolic link not followed (use --follow-links)".into(),
                });
            }
            continue;
        }
        if !entry.file_type().is_file() {
            out.skipped.push(Skipped {
                path: p.display().to_string(),
                reason: "not a regular file (device, socket or pipe)".into(),
            });
            continue;
        }
        let rel_path = if single {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            rel(&root, p)
        };
        files.push(Candidate {
            path: p.to_path_buf(),
            root: root.clone(),
            rel_path,
        });
    }
    // The SPEC's order: by the bytes of the relative path.
    files.sort_by(|a, b| a.rel_path.as_bytes().cmp(b.rel_path.as_bytes()));
    out.files.extend(files);
}
