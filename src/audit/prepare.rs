//! Preparing an audit: reading the load files, learning each volume's Bates
//! patterns and tying rows to files, before any file's bytes are read.

use super::*;
use finding::{Code, Finding};
use tie::{Resolver, Slot};

/// What is known before the files are read: rows, patterns, ties, and what
/// each file needs computed.
pub(super) struct Prepared {
    pub loaded: load::Loaded,
    pub patterns: Vec<Patterns>,
    pub ranges: RangeIndex,
    pub ties: Ties,
    pub opt_keys: Vec<FastMap<String, (usize, u64)>>,
    pub opt_files: Vec<Vec<Vec<Option<usize>>>>,
    pub xref_missing: Vec<Vec<Vec<bool>>>,
    pub needs: Vec<Need>,
    pub overlays: overlay::Overlays,
}

/// What the walk of the audited folders found, before any file is read.
pub(super) struct Inventory {
    pub vols: Vec<discover::VolumeDir>,
    pub found: Vec<discover::Found>,
    pub walk_notes: Vec<Vec<String>>,
    pub walk_errors: Vec<discover::WalkError>,
}

/// Reads the load files, learns the patterns and ties rows to files.
pub(super) fn prepare(
    opts: &Options,
    inventory: Inventory,
    files: &[FileEntry],
    given_files: &load::Given,
    phase: &dyn Fn(&str),
) -> Result<Prepared, Error> {
    let Inventory {
        vols,
        found,
        walk_notes,
        walk_errors,
    } = inventory;
    let resolver = Resolver::new(files);
    let mut loaded = load::load(vols, files, &resolver, given_files, found, walk_notes);
    phase("read the load files");
    let readable = loaded.volumes.iter().filter(|v| v.index.is_some()).count();
    if readable == 0 {
        let detail: Vec<String> = loaded
            .index_errors
            .iter()
            .map(|(v, e)| format!("{v}: {e}"))
            .collect();
        return Err(Error::input(format!("nothing could be audited: {}", detail.join("; "))).hint(
            "give the index with --index F (CSV, XLSX, XLS, ODS or Concordance DAT); its header needs a BEGBATES-like column (BEGBATES, BegDoc, Bates Begin, FIRSTBATES, …)",
        ));
    }
    for (v, e) in &loaded.index_errors {
        loaded.findings.push(Finding::new(
            Code::ReadError,
            v.clone(),
            format!("{e}; this volume's files were not checked against an index."),
        ));
    }
    for (v, path, e) in walk_errors {
        let name = loaded.volumes[v].dir.name.clone();
        loaded.findings.push(
            Finding::new(
                Code::ReadError,
                name,
                format!("`{path}` could not be listed: {e}."),
            )
            .files([path]),
        );
    }

    // A shared index's rows go to their volumes before anything is learned.
    // Each checksum line's file is found once (a volume's own list's as it
    // was read); the paths found are dropped.
    for vol in &mut loaded.volumes {
        let root = vol.dir.root.clone();
        for (lf, entries) in &mut vol.sums {
            for e in entries.iter_mut() {
                e.resolve(|path| resolver.listed(path, &lf.dir, &root));
            }
        }
    }
    shared::assign_rows(opts, &mut loaded, files, &resolver);
    // Overlay volumes' rows replace the earlier rows with their numbers.
    let overlays = overlay::find(opts, &mut loaded, files)?;

    // Patterns, ranges and ties.
    let patterns: Vec<Patterns> = (0..loaded.volumes.len())
        .map(|v| {
            if opts.patterns.is_empty() {
                let rows = loaded.rows.iter().filter(|r| r.volume == v);
                Patterns::learn(rows.flat_map(|r| r.beg.iter().chain(r.end.iter())))
            } else {
                Patterns::fixed(&opts.patterns)
            }
        })
        .collect();
    let ranges = RangeIndex::new(&loaded.rows, &patterns);
    shared::assign_entries(opts, &mut loaded, &patterns, &ranges, files, &resolver);
    let roots: Vec<PathBuf> = loaded.volumes.iter().map(|v| v.dir.root.clone()).collect();
    let index_dirs: Vec<Option<PathBuf>> = loaded
        .volumes
        .iter()
        .map(|v| v.index.as_ref().map(|l| l.dir.clone()))
        .collect();
    phase("learned the patterns");
    let mut ties = tie::tie_rows(
        &loaded.rows,
        files,
        &roots,
        &index_dirs,
        &patterns,
        &resolver,
        &ranges,
    );
    // The checks look at a row's links only when one is broken (to tell an
    // image link among them): the others are tied and need no cells now,
    // before the cross-references' keys are built beside them.
    for (row, broken) in loaded.rows.iter_mut().zip(&ties.broken) {
        if broken.is_empty() {
            row.links = Vec::new();
        }
    }
    let mut opt_keys = Vec::new();
    let mut opt_files = Vec::new();
    for (vi, vol) in loaded.volumes.iter().enumerate() {
        // Keys are looked up only from a cross-reference's lines: a volume
        // without one needs none (a row may claim a million pages).
        let keys = if vol.xrefs.is_empty() {
            FastMap::default()
        } else {
            tie::opt_keys(&loaded.rows, vi, &patterns[vi])
        };
        let mut per_xref = Vec::new();
        for (lf, opt) in &vol.xrefs {
            let mut resolved = Vec::new();
            let mut cache: FastMap<&str, Option<usize>> = FastMap::default();
            // The row of the last line that started a document: a page whose
            // key names no row continues it.
            let mut current: Option<usize> = None;
            for line in &opt.lines {
                let file = *cache
                    .entry(line.path())
                    .or_insert_with(|| resolver.resolve(line.path(), &vol.dir.root, Some(&lf.dir)));
                resolved.push(file);
                let row = keys.get(line.key()).map(|(r, _)| *r).or_else(|| {
                    let b = bates::Bates::parse(line.key())?;
                    ranges.row_holding(vi, patterns[vi].canonical(&b)?, b.number)
                });
                if line.doc_break() {
                    current = row;
                }
                let row = row.or(if line.doc_break() { None } else { current });
                // The OPT ties page images no link or name has claimed
                // (the pages after the first, when a link names the first).
                if let (Some(r), Some(f)) = (row, file) {
                    let free = !files[f].load_file() && ties.file_rows[f].is_empty();
                    if free {
                        ties.tie(r, f, Slot::Image);
                    }
                }
            }
            per_xref.push(resolved);
        }
        opt_keys.push(keys);
        opt_files.push(per_xref);
    }
    let xref_missing = tie::missing_xref_files(&loaded, &ties, &opt_keys, &opt_files);
    ties.finish();
    for (vi, n) in ties.unresolved_paths.iter().enumerate() {
        if *n > 0 {
            loaded.volumes[vi].report.notes.push(format!(
                "{n} FILEPATH-like cell(s) name no file in the volume (they may be the originals' locations); those rows were tied to files by name"
            ));
        }
    }

    // What to compute for each file, then read each once.
    let mut needs: Vec<Need> = files
        .iter()
        .map(|f| Need {
            md5: false,
            pdf: !f.load_file() && f.kind != Kind::Data,
            covered: !f.load_file() && f.kind == Kind::Image,
        })
        .collect();
    for (ri, row) in loaded.rows.iter().enumerate() {
        for cell in &row.hashes {
            if cell.value.len() == 32
                && let Some(f) = hash_target(&ties, ri, cell.field)
            {
                needs[f].md5 = true;
            }
        }
    }
    for vol in &loaded.volumes {
        for (_, entries) in &vol.sums {
            for e in entries.iter().filter(|e| e.algo == read::sums::Algo::Md5) {
                if let Some(f) = e.file() {
                    needs[f].md5 = true;
                }
            }
        }
    }
    phase("tied rows to files");
    Ok(Prepared {
        loaded,
        patterns,
        ranges,
        ties,
        opt_keys,
        opt_files,
        xref_missing,
        needs,
        overlays,
    })
}
