//! Load files given once for several volumes (`--index`, `--privlog`,
//! `--opt` with a folder of volumes): each index row goes to the volume its
//! links or file names point to, each log entry to the volume whose ranges
//! hold its numbers (or whose row has its control number), each image
//! cross-reference line to the volume whose rows or files it names. Gaps and
//! orphans are then judged across all volumes, as for any set of volumes.

use super::bates::{Bates, Patterns};
use super::discover::{FileEntry, Kind};
use super::load::Loaded;
use super::tie::{RangeIndex, Resolver};
use super::{FastMap, Options};

/// Which volume each index row of a shared index belongs to. Rows naming no
/// file stay with the first volume; a note counts them.
pub fn assign_rows(opts: &Options, loaded: &mut Loaded, files: &[FileEntry], resolver: &Resolver) {
    if opts.index.is_none() || loaded.volumes.len() < 2 {
        return;
    }
    let mut stems: FastMap<String, usize> = FastMap::default();
    for f in files
        .iter()
        .filter(|f| !f.load_file() && f.kind != Kind::Data)
    {
        let name = f.rel().rsplit('/').next().unwrap_or_default();
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        stems.entry(stem.to_lowercase()).or_insert(f.volume);
    }
    let roots: Vec<_> = loaded.volumes.iter().map(|v| v.dir.root.clone()).collect();
    let index_dir = loaded.volumes[0].index.as_ref().map(|l| l.dir.clone());
    let mut counts = vec![0usize; roots.len()];
    let mut unplaced = 0usize;
    for row in &mut loaded.rows {
        let by_link = row.links.iter().find_map(|(_, _, value)| {
            roots
                .iter()
                .find_map(|root| resolver.resolve(value, root, index_dir.as_deref()))
                .map(|f| files[f].volume)
        });
        let by_name = || stems.get(&row.name_key().to_lowercase()).copied();
        match by_link.or_else(by_name) {
            Some(v) => row.volume = v,
            None => unplaced += 1,
        }
        counts[row.volume] += 1;
    }
    let spread: Vec<String> = loaded
        .volumes
        .iter()
        .zip(&counts)
        .map(|(v, n)| format!("{} ({n})", v.dir.name))
        .collect();
    let mut note = format!(
        "the index was given once for {} volumes: its rows were shared out by the files their links or names point to: {}",
        roots.len(),
        spread.join(", ")
    );
    if unplaced > 0 {
        note.push_str(&format!(
            "; {unplaced} row(s) naming no file were kept with {}",
            loaded.volumes[0].dir.name
        ));
    }
    loaded.volumes[0].report.notes.push(note);
}

/// Which volume each entry of a shared privilege log belongs to, and each
/// line of a shared image cross-reference.
pub fn assign_entries(
    opts: &Options,
    loaded: &mut Loaded,
    patterns: &[Patterns],
    ranges: &RangeIndex,
    files: &[FileEntry],
    resolver: &Resolver,
) {
    let n = loaded.volumes.len();
    if n < 2 {
        return;
    }
    let holding = |b: &Bates| {
        (0..n).find(|&v| {
            patterns[v]
                .canonical(b)
                .and_then(|p| ranges.row_holding(v, p, b.number))
                .is_some()
        })
    };
    if opts.privlog.is_some() {
        let mut ids: FastMap<&str, usize> = FastMap::default();
        for r in &loaded.rows {
            for id in [&*r.control_id, &*r.log_id] {
                if !id.is_empty() {
                    ids.entry(id).or_insert(r.volume);
                }
            }
        }
        let mut moved: Vec<(usize, usize)> = Vec::new();
        for (ei, e) in loaded.logs.iter().enumerate() {
            let by_bates = e.beg.as_ref().and_then(holding);
            let by_id = || {
                [&*e.control_id, &*e.log_id]
                    .iter()
                    .find_map(|id| ids.get(id).copied())
            };
            if let Some(v) = by_bates.or_else(by_id) {
                moved.push((ei, v));
            }
        }
        for (ei, v) in moved {
            loaded.logs[ei].volume = v;
        }
        for (vi, vol) in loaded.volumes.iter_mut().enumerate() {
            vol.report.log_entries = loaded.logs.iter().filter(|e| e.volume == vi).count();
        }
    }
    if opts.opt.is_some() {
        let roots: Vec<_> = loaded.volumes.iter().map(|v| v.dir.root.clone()).collect();
        let owner = |key: &str, path: &str, dir: &std::path::Path| {
            Bates::parse(key).as_ref().and_then(holding).or_else(|| {
                roots
                    .iter()
                    .find_map(|root| resolver.resolve(path, root, Some(dir)))
                    .map(|f| files[f].volume)
            })
        };
        for xi in 0..loaded.volumes[0].xrefs.len() {
            let (lf, opt) = loaded.volumes[0].xrefs[xi].clone();
            let owners: Vec<usize> = opt
                .lines
                .iter()
                .map(|l| owner(l.key(), l.path(), &lf.dir).unwrap_or(0))
                .collect();
            for (vi, vol) in loaded.volumes.iter_mut().enumerate() {
                if let Some((_, mine)) = vol.xrefs.get_mut(xi) {
                    mine.lines = opt
                        .lines
                        .iter()
                        .zip(&owners)
                        .filter(|(_, o)| **o == vi)
                        .map(|(l, _)| l.clone())
                        .collect();
                }
                if let Some(info) = vol.report.opt.as_mut().filter(|_| xi == 0) {
                    info.records = vol.xrefs.get(xi).map_or(0, |x| x.1.lines.len());
                }
            }
        }
    }
}
