//! LOG_BASIS (a log entry whose privilege names no recognised privilege or
//! protection) and LOG_PRODUCED (a log entry withheld in full whose numbers
//! belong to a document produced in full with its file present: a possible
//! inadvertent production, to be handled under Rule 26(b)(5)(B)).

use super::Audit;
use crate::audit::bates::Bates;
use crate::audit::finding::{Code, Finding};
use crate::audit::rows::Treatment;

/// The index row holding the entry's first number, in any volume.
fn row_of(a: &Audit, beg: &Bates) -> Option<usize> {
    (0..a.volumes.len()).find_map(|v| {
        let p = a.patterns[v].canonical(beg)?;
        a.ranges.row_holding(v, p, beg.number)
    })
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &a.logs {
        let vol = a.volume_name(e.volume);
        let bates: Vec<String> = [e.beg_raw.clone()]
            .into_iter()
            .filter(|b| !b.is_empty())
            .collect();
        if !e.privilege.is_empty() && !a.privileges.recognises(&e.privilege) {
            out.push(
                Finding::new(
                    Code::LogBasis,
                    vol,
                    format!(
                        "Log entry {} asserts `{}`, which names no recognised privilege or protection.",
                        e.label(),
                        e.privilege
                    ),
                )
                .bates(bates.clone())
                .at(e.location.clone()),
            );
        }
        if e.treatment != Some(Treatment::Withheld) {
            continue;
        }
        let Some(r) = e.beg.as_ref().and_then(|b| row_of(a, b)) else {
            continue;
        };
        let row = &a.rows[r];
        let present = a.ties.broken[r].is_empty() && a.ties.all(r).next().is_some();
        if row.malformed || row.treatment != Treatment::Produced || !present {
            continue;
        }
        let files: Vec<String> = a.ties.all(r).map(|f| a.files[f].display.clone()).collect();
        out.push(
            Finding::new(
                Code::LogProduced,
                vol,
                format!(
                    "Log entry {} withholds {} in full, but the index has it produced in full ({}) and its file `{}` is in the production: a possible inadvertent production.",
                    e.label(),
                    row.range_text(),
                    row.location.describe(),
                    files[0]
                ),
            )
            .bates(bates)
            .files(files)
            .at(e.location.clone()),
        );
    }
    out
}
