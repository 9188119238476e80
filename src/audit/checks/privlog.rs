//! The privilege log against the index: UNLOGGED_REDACTION (a redacted or
//! withheld document no entry names), LOG_ORPHAN (an entry whose Bates
//! numbers are not in the production) and LOG_INCOMPLETE (an entry missing a
//! Rule 26(b)(5)(A) field). A withheld entry with no Bates numbers is
//! log-only: matched by LOG_ID or CONTROL_ID/DOCID, never an orphan.

use super::Audit;
use crate::audit::bates::Bates;
use crate::audit::finding::{Code, Finding};
use crate::audit::rows::{LogEntry, Treatment};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The index row covering a number a log entry cites, in any volume.
fn row_of(
    a: &Audit,
    entry_volume: usize,
    raw: &str,
    b: Option<&Bates>,
    begs: &HashMap<&str, usize>,
) -> Option<usize> {
    if let Some(&r) = begs.get(raw) {
        return Some(r);
    }
    let b = b?;
    let own = a.patterns.get(entry_volume).and_then(|p| p.canonical(b));
    let prefixes = own
        .into_iter()
        .chain(a.patterns.iter().filter_map(|p| p.canonical(b)));
    for prefix in prefixes {
        if let Some(r) = a
            .ranges
            .any_volume_where(prefix, b.number, |r| !a.replaced(r))
        {
            return Some(r);
        }
    }
    None
}

/// Log ranges per canonical prefix, to find whether a log entry covers a row.
fn log_ranges(a: &Audit) -> BTreeMap<String, Vec<(u64, u64)>> {
    let mut map: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
    for e in &a.logs {
        let (Some(b), Some(end)) = (&e.beg, &e.end) else {
            continue;
        };
        let Some(p) = a.patterns.get(e.volume).and_then(|p| p.canonical(b)) else {
            continue;
        };
        if end.number >= b.number {
            map.entry(p.to_string())
                .or_default()
                .push((b.number, end.number));
        }
    }
    for list in map.values_mut() {
        sort_with_reach(list);
    }
    map
}

/// Sorts ranges by their start and makes each end the furthest any range
/// so far reaches: a family's entry still covers a number after any count
/// of single pages logged inside it.
fn sort_with_reach(list: &mut [(u64, u64)]) {
    list.sort_unstable();
    let mut reach = 0;
    for r in list.iter_mut() {
        reach = reach.max(r.1);
        r.1 = reach;
    }
}

/// Whether some logged range holds `n`: of the ranges starting at or before
/// it, the furthest reach (see [`log_ranges`]) is at or after it.
fn covered(ranges: &BTreeMap<String, Vec<(u64, u64)>>, prefix: &str, n: u64) -> bool {
    ranges.get(prefix).is_some_and(|list| {
        let starts = list.partition_point(|r| r.0 <= n);
        starts.checked_sub(1).is_some_and(|last| list[last].1 >= n)
    })
}

fn incomplete(e: &LogEntry) -> Option<String> {
    if e.empty.is_empty() && e.absent.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !e.empty.is_empty() {
        parts.push(format!("leaves {} empty", e.empty.join(", ")));
    }
    if !e.absent.is_empty() {
        parts.push(format!(
            "has no {} (the log has no such column)",
            e.absent.join(", ")
        ));
    }
    Some(format!("Log entry {} {}.", e.label(), parts.join(" and ")))
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    let begs: HashMap<&str, usize> = a
        .rows
        .iter()
        .enumerate()
        .filter(|(i, r)| !r.beg_raw.is_empty() && !a.replaced(*i))
        .map(|(i, r)| (&*r.beg_raw, i))
        .collect();
    let mut hit: HashSet<usize> = HashSet::new();
    let log_ids: HashSet<&str> = a
        .logs
        .iter()
        .map(|e| e.log_id.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    let control_ids: HashSet<&str> = a
        .logs
        .iter()
        .map(|e| e.control_id.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    let row_ids: HashSet<&str> = a
        .rows
        .iter()
        .flat_map(|r| [&*r.log_id, &*r.control_id])
        .filter(|s| !s.is_empty())
        .collect();

    for e in &a.logs {
        let vol = a.volume_name(e.volume);
        if let Some(message) = incomplete(e) {
            let bates = [e.beg_raw.clone()].into_iter().filter(|b| !b.is_empty());
            out.push(
                Finding::new(Code::LogIncomplete, vol, message)
                    .bates(bates)
                    .at(e.location.clone()),
            );
        }
        if e.log_only() {
            continue;
        }
        if e.beg_raw.is_empty() {
            let matched = (!e.log_id.is_empty() && row_ids.contains(e.log_id.as_str()))
                || (!e.control_id.is_empty() && row_ids.contains(e.control_id.as_str()));
            if !matched {
                out.push(
                    Finding::new(
                        Code::LogOrphan,
                        vol,
                        format!(
                            "Log entry {} is {} but cites no Bates numbers, and no index row has its LOG_ID or CONTROL_ID.",
                            e.label(),
                            e.treatment.map_or("not withheld", |t| t.label()).to_lowercase()
                        ),
                    )
                    .at(e.location.clone()),
                );
            }
            continue;
        }
        match row_of(a, e.volume, &e.beg_raw, e.beg.as_ref(), &begs) {
            Some(r) => {
                hit.insert(r);
            }
            None => {
                let cited = if e.end_raw.is_empty() || e.end_raw == e.beg_raw {
                    e.beg_raw.clone()
                } else {
                    format!("{} – {}", e.beg_raw, e.end_raw)
                };
                let bates = if e.end_raw.is_empty() || e.end_raw == e.beg_raw {
                    vec![e.beg_raw.clone()]
                } else {
                    vec![e.beg_raw.clone(), e.end_raw.clone()]
                };
                out.push(
                    Finding::new(
                        Code::LogOrphan,
                        vol,
                        format!(
                            "Log entry {} cites {cited}, which no index row covers.",
                            e.label()
                        ),
                    )
                    .bates(bates)
                    .at(e.location.clone()),
                );
            }
        }
    }

    let ranges = log_ranges(a);
    for (ri, row) in a.rows.iter().enumerate() {
        if row.malformed || row.treatment == Treatment::Produced || a.replaced(ri) {
            continue;
        }
        let by_id = (!row.log_id.is_empty() && log_ids.contains(&*row.log_id))
            || (!row.control_id.is_empty()
                && (control_ids.contains(&*row.control_id) || log_ids.contains(&*row.control_id)));
        let by_bates = hit.contains(&ri)
            || row.range(&a.patterns[row.volume]).is_some_and(|(p, x, y)| {
                covered(&ranges, &p, x) || (x..=y.min(x + 10_000)).any(|n| covered(&ranges, &p, n))
            });
        if by_id || by_bates {
            continue;
        }
        let vol = &a.volumes[row.volume];
        let tail = if vol.privlog.is_none() {
            " (the volume has no privilege log)"
        } else {
            ""
        };
        out.push(
            Finding::new(
                Code::UnloggedRedaction,
                &vol.dir.name,
                format!(
                    "{} is {} in the index ({}) but no privilege-log entry names it{tail}.",
                    row.label(),
                    row.treatment.label().to_lowercase(),
                    row.location.describe()
                ),
            )
            .bates(
                [row.beg_raw.to_string()]
                    .into_iter()
                    .filter(|b| !b.is_empty()),
            )
            .at(row.location.clone()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{HEADER, Production, STANDARD_ROWS, with_code};

    const LOG_HEADER: &str = "LOG_ID,BEGBATES,ENDBATES,TREATMENT,DOC_DATE,DOC_TYPE,AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE";

    /// The standard volume with its second document redacted, and `log`.
    fn redacted_with_log(log: &[&str]) -> Vec<Finding> {
        let p = Production::standard();
        let redacted = STANDARD_ROWS[1].replace("Produced", "Redacted");
        p.index_csv(&[HEADER, STANDARD_ROWS[0], &redacted]);
        let mut lines = vec![LOG_HEADER];
        lines.extend_from_slice(log);
        p.privlog(&lines);
        check(&p.gather().0)
    }

    const ENTRY: &str = "PRIV-0001,DHS-000004,DHS-000004,Redacted,2023-03-14,Memorandum,Ana Ruiz,Luis Ortega,Draft guidance,Deliberative process";

    #[test]
    fn a_family_entry_covers_its_numbers_past_any_count_of_pages_logged_inside_it() {
        let mut ranges = BTreeMap::new();
        // ABC-1..200 for a family, then 70 single pages 2..71 inside it.
        let mut list = vec![(1, 200)];
        list.extend((2..=71).map(|n| (n, n)));
        sort_with_reach(&mut list);
        ranges.insert("ABC-".to_string(), list);
        assert!(covered(&ranges, "ABC-", 80));
        assert!(covered(&ranges, "ABC-", 200));
        assert!(covered(&ranges, "ABC-", 1));
        assert!(!covered(&ranges, "ABC-", 201));
        assert!(!covered(&ranges, "ABC-", 0));
        assert!(!covered(&ranges, "XYZ-", 80));
    }

    #[test]
    fn a_logged_redaction_gives_nothing() {
        let f = redacted_with_log(&[ENTRY]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_redaction_missing_from_the_log_is_unlogged() {
        let f = redacted_with_log(&[]);
        let found = with_code(&f, Code::UnloggedRedaction);
        assert_eq!(found.len(), 1, "{f:?}");
        assert_eq!(
            found[0].bates.first().map(String::as_str),
            Some("DHS-000004")
        );
    }

    #[test]
    fn an_entry_without_a_description_is_incomplete() {
        let f = redacted_with_log(&[&ENTRY.replace("Draft guidance", "")]);
        let found = with_code(&f, Code::LogIncomplete);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("DESCRIPTION"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn an_entry_citing_numbers_outside_the_production_is_an_orphan() {
        let orphan = ENTRY.replace("DHS-000004,DHS-000004", "DHS-000050,DHS-000050");
        let f = redacted_with_log(&[ENTRY, &orphan]);
        let found = with_code(&f, Code::LogOrphan);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("DHS-000050"),
            "{}",
            found[0].message
        );
    }
}
