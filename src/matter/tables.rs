//! What every backend stores, table by table, in backend-neutral values:
//! the column lists that `migrate-to-postgres` copies and verifies, and the
//! review columns a reviewer's change touches. Both backends use the same
//! table and column names.

use super::store::ReviewUpdate;
use serde::Serialize;
use sha2::Digest;

/// One stored value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
}

/// How a column is typed in every backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
}

/// A table: its name, its columns, and the order rows are read in.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub order_by: &'static str,
}

use Kind::{Bool, Int, Text};

/// Every table of a matter, parents before children (the order a copy
/// inserts them in).
pub const TABLES: &[Table] = &[
    Table {
        name: "documents",
        columns: &[
            ("seq", Int),
            ("source_path", Text),
            ("ingest_root", Text),
            ("rel_path", Text),
            ("custodian", Text),
            ("size", Int),
            ("mtime_ns", Int),
            ("sha256", Text),
            ("md5", Text),
            ("kind", Text),
            ("type_name", Text),
            ("page_count", Int),
            ("problem", Text),
            ("repaired", Text),
            ("metadata", Text),
            ("hidden", Text),
            ("duplicate_of", Int),
            ("ingested_at", Text),
            ("updated_at", Text),
            ("status", Text),
            ("description", Text),
            ("confidentiality", Text),
            ("redacted_sha256", Text),
            ("redacted_pages", Int),
            ("as_native", Bool),
            ("hidden_reviewed", Bool),
            ("doc_date", Text),
            ("doc_type", Text),
            ("author", Text),
            ("recipients", Text),
            ("title", Text),
            ("filename", Text),
            ("first_reviewed_at", Text),
        ],
        order_by: "seq",
    },
    Table {
        name: "ingest_failures",
        columns: &[
            ("source_path", Text),
            ("ingest_root", Text),
            ("rel_path", Text),
            ("reason", Text),
            ("at", Text),
        ],
        order_by: "source_path",
    },
    Table {
        name: "history",
        columns: &[
            ("id", Int),
            ("seq", Int),
            ("at", Text),
            ("actor", Text),
            ("field", Text),
            ("old_value", Text),
            ("new_value", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "document_categories",
        columns: &[("seq", Int), ("category_id", Text)],
        order_by: "seq, category_id",
    },
    Table {
        name: "document_privileges",
        columns: &[("seq", Int), ("code", Text)],
        order_by: "seq, code",
    },
    Table {
        name: "notes",
        columns: &[
            ("id", Int),
            ("seq", Int),
            ("at", Text),
            ("actor", Text),
            ("text", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "bates_settings",
        columns: &[
            ("id", Int),
            ("prefix", Text),
            ("width", Int),
            ("start", Int),
        ],
        order_by: "id",
    },
    Table {
        name: "volumes",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("title", Text),
            ("date", Text),
            ("first_bates", Int),
            ("last_bates", Int),
            ("created_at", Text),
            ("overlay_of", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "volume_documents",
        columns: &[
            ("volume_id", Int),
            ("seq", Int),
            ("treatment", Text),
            ("beg_bates", Int),
            ("end_bates", Int),
            ("log_id", Int),
            ("represented_by", Int),
            ("produced_sha256", Text),
            ("decision", Text),
        ],
        order_by: "seq",
    },
    Table {
        name: "volume_rows",
        columns: &[
            ("volume_id", Int),
            ("kind", Text),
            ("ord", Int),
            ("data", Text),
        ],
        order_by: "volume_id, kind, ord",
    },
    Table {
        name: "clawbacks",
        columns: &[
            ("id", Int),
            ("seq", Int),
            ("volume", Text),
            ("beg_bates", Int),
            ("end_bates", Int),
            ("requested_on", Text),
            ("at", Text),
            ("actor", Text),
            ("privileges", Text),
            ("description", Text),
            ("reason", Text),
            ("replacement", Text),
            ("overlay", Text),
            ("log_id", Int),
        ],
        order_by: "id",
    },
];

/// Every row of every table, in `TABLES` order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dump {
    pub tables: Vec<(&'static str, Vec<Vec<Cell>>)>,
}

/// One table's count and checksum, to compare two copies of a matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableSum {
    pub table: &'static str,
    pub rows: usize,
    pub sha256: String,
}

impl Dump {
    /// Per table: the row count and the SHA-256 of its rows in order.
    pub fn sums(&self) -> Vec<TableSum> {
        self.tables
            .iter()
            .map(|(name, rows)| {
                let mut h = sha2::Sha256::new();
                for row in rows {
                    // Serialising plain cells cannot fail.
                    h.update(serde_json::to_vec(row).unwrap_or_default());
                    h.update(b"\n");
                }
                TableSum {
                    table: name,
                    rows: rows.len(),
                    sha256: crate::model::hex(&h.finalize()),
                }
            })
            .collect()
    }
}

/// The `SELECT` list of a table.
pub fn select(table: &Table) -> String {
    let cols: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        cols.join(", "),
        table.name,
        table.order_by
    )
}

/// The review columns one reviewer's change sets: only the fields that
/// changed, so two reviewers changing different fields of a document at the
/// same time never undo each other. `first_reviewed_at` is to be written
/// only when empty (backends use `COALESCE`).
pub fn review_columns(u: &ReviewUpdate) -> Vec<(&'static str, Cell)> {
    let r = &u.review;
    let text = |v: &Option<String>| v.clone().map_or(Cell::Null, Cell::Text);
    let mut out = Vec::new();
    for change in &u.changes {
        match change.field {
            "status" => {
                out.push(("status", Cell::Text(r.status.as_str().into())));
                if r.first_reviewed_at.is_some() {
                    out.push(("first_reviewed_at", text(&r.first_reviewed_at)));
                }
            }
            "description" => out.push(("description", text(&r.description))),
            "confidentiality" => out.push(("confidentiality", text(&r.confidentiality))),
            "redacted-file" => {
                out.push(("redacted_sha256", text(&r.redacted_sha256)));
                out.push((
                    "redacted_pages",
                    r.redacted_pages.map_or(Cell::Null, |n| Cell::Int(n as i64)),
                ));
            }
            "as-native" => out.push(("as_native", Cell::Bool(r.as_native))),
            "hidden-reviewed" => out.push(("hidden_reviewed", Cell::Bool(r.hidden_reviewed))),
            "doc-date" => out.push(("doc_date", text(&r.doc_date))),
            "doc-type" => out.push(("doc_type", text(&r.doc_type))),
            "author" => out.push(("author", text(&r.author))),
            "recipients" => out.push(("recipients", text(&r.recipients))),
            "title" => out.push(("title", text(&r.title))),
            "filename" => out.push(("filename", text(&r.filename))),
            // Categories and privileges live in their own tables.
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, FieldChange, Review, Status};

    #[test]
    fn only_changed_fields_are_written() {
        let u = ReviewUpdate {
            id: DocId(1),
            actor: "a".into(),
            review: Review {
                status: Status::Produce,
                author: Some("X".into()),
                first_reviewed_at: Some("t".into()),
                ..Review::default()
            },
            categories_changed: false,
            privileges_changed: false,
            changes: vec![FieldChange {
                field: "status",
                old: None,
                new: Some("produce".into()),
            }],
            note: None,
        };
        let cols: Vec<&str> = review_columns(&u).iter().map(|(c, _)| *c).collect();
        assert_eq!(
            cols,
            ["status", "first_reviewed_at"],
            "author did not change"
        );
    }

    #[test]
    fn sums_change_with_any_cell() {
        let a = Dump {
            tables: vec![("t", vec![vec![Cell::Int(1), Cell::Text("x".into())]])],
        };
        let mut b = a.clone();
        b.tables[0].1[0][1] = Cell::Text("y".into());
        assert_eq!(a.sums()[0].rows, 1);
        assert_ne!(a.sums(), b.sums());
        assert_eq!(a.sums(), a.clone().sums());
    }
}
