//! LOG_BASIS (a log entry whose privilege names no recognised privilege or
//! protection) and LOG_PRODUCED (a log entry withheld in full whose numbers
//! belong to a document produced in full with its file present: a possible
//! inadvertent production, to be handled under Rule 26(b)(5)(B)).

use super::Audit;
use crate::audit::bates::Bates;
use crate::audit::finding::{Code, Finding};
use crate::audit::rows::Treatment;

/// The index row holding the entry's first number, in any volume, that no
/// overlay replaces.
fn row_of(a: &Audit, beg: &Bates) -> Option<usize> {
    (0..a.volumes.len()).find_map(|v| {
        let p = a.patterns[v].canonical(beg)?;
        // A row an overlay replaces is the recalled version, no longer produced.
        a.ranges
            .row_holding(v, p, beg.number)
            .filter(|&r| !a.replaced(r))
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
        let files: Vec<String> = a
            .ties
            .all(r)
            .map(|f| a.files[f].display().to_string())
            .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, with_code};

    const LOG_HEADER: &str = "LOG_ID,BEGBATES,ENDBATES,TREATMENT,DOC_DATE,DOC_TYPE,AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE";

    fn with_log(entry: &str) -> Vec<Finding> {
        let p = Production::standard();
        p.privlog(&[LOG_HEADER, entry]);
        check(&p.gather().0)
    }

    #[test]
    fn a_recognised_privilege_for_a_log_only_entry_gives_nothing() {
        let f = with_log(
            "PRIV-0001,,,Withheld,2023-03-14,Memo,Ana Ruiz,Luis Ortega,Draft,Attorney-client privilege",
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn privileged_alone_is_no_basis() {
        let f =
            with_log("PRIV-0001,,,Withheld,2023-03-14,Memo,Ana Ruiz,Luis Ortega,Draft,Privileged");
        let found = with_code(&f, Code::LogBasis);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("`Privileged`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn withholding_a_document_produced_in_full_is_flagged() {
        let f = with_log(
            "PRIV-0001,DHS-000004,DHS-000004,Withheld,2023-03-14,Memo,Ana Ruiz,Luis Ortega,Draft,Work product",
        );
        let found = with_code(&f, Code::LogProduced);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("DHS-000004.pdf"),
            "{}",
            found[0].message
        );
    }
}
