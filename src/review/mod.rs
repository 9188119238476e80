//! Reviewers' decisions (`adrec tag`): what a row or a command asks for
//! (`change`), reading tagging sheets (`sheet`), checking everything against
//! `adrec.toml` and the documents before anything is applied (`validate`), and
//! the store of redacted PDFs (`redacted`). No SQL here: the validated plan is
//! written by `matter::db` in one transaction.

pub mod cell;
pub mod change;
pub mod field;
pub mod redacted;
pub mod sheet;
pub mod validate;

use crate::model::DocId;
use serde::Serialize;
use std::fmt;

/// One reason a sheet row or a command cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The sheet row (as the spreadsheet numbers it); none for `tag DOCID...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The column (`C "Status"`) or option (`--status`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docid: Option<DocId>,
    /// May quote a cell; shown and serialised clipped (`output::clip`).
    #[serde(serialize_with = "clipped")]
    pub message: String,
}

fn clipped<S: serde::Serializer>(message: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::output::clip(message))
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if let Some(col) = &self.column {
            place.push(if self.row.is_some() {
                format!("column {col}")
            } else {
                col.clone()
            });
        }
        if let Some(id) = self.docid {
            place.push(id.to_string());
        }
        let message = crate::output::clip(&self.message);
        if place.is_empty() {
            f.write_str(&message)
        } else {
            write!(f, "{}: {message}", place.join(", "))
        }
    }
}
