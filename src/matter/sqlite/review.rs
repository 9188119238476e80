//! Reviewers' changes written inside the caller's transaction (tag, and a
//! clawback's status change together with its request).

use super::super::store::ReviewUpdate;
use super::super::tables::review_columns;
use super::to_sql;
use crate::error::Error;
use rusqlite::{Transaction, params};

/// Writes `updates`, their history and notes; the caller commits.
pub(super) fn apply(tx: &Transaction<'_>, at: &str, updates: &[ReviewUpdate]) -> Result<(), Error> {
    {
        let mut clear_categories = tx.prepare("DELETE FROM document_categories WHERE seq = ?1")?;
        let mut add_category =
            tx.prepare("INSERT INTO document_categories (seq, category_id) VALUES (?1, ?2)")?;
        let mut clear_privileges = tx.prepare("DELETE FROM document_privileges WHERE seq = ?1")?;
        let mut add_privilege =
            tx.prepare("INSERT INTO document_privileges (seq, code) VALUES (?1, ?2)")?;
        let mut history = tx.prepare(
            "INSERT INTO history (seq, at, actor, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut note =
            tx.prepare("INSERT INTO notes (seq, at, actor, text) VALUES (?1, ?2, ?3, ?4)")?;
        for u in updates {
            let seq = u.id.0 as i64;
            let r = &u.review;
            // Only the fields this reviewer changed: a concurrent change
            // to another field of the same document is never undone.
            let columns = review_columns(u);
            if !columns.is_empty() {
                let sets: Vec<String> = columns
                    .iter()
                    .enumerate()
                    .map(|(i, (c, _))| match *c {
                        "first_reviewed_at" => format!("{c} = COALESCE({c}, ?{})", i + 2),
                        _ => format!("{c} = ?{}", i + 2),
                    })
                    .collect();
                let sql = format!("UPDATE documents SET {} WHERE seq = ?1", sets.join(", "));
                let mut update = tx.prepare_cached(&sql)?;
                let mut values: Vec<rusqlite::types::Value> = vec![seq.into()];
                values.extend(columns.into_iter().map(|(_, cell)| to_sql(cell)));
                update.execute(rusqlite::params_from_iter(values))?;
            }
            if u.categories_changed {
                clear_categories.execute([seq])?;
                for c in &r.categories {
                    add_category.execute(params![seq, c])?;
                }
            }
            if u.privileges_changed {
                clear_privileges.execute([seq])?;
                for p in &r.privileges {
                    add_privilege.execute(params![seq, p])?;
                }
            }
            for c in &u.changes {
                history.execute(params![seq, at, u.actor, c.field, c.old, c.new])?;
            }
            if let Some(text) = &u.note {
                note.execute(params![seq, at, u.actor, text])?;
                history.execute(params![seq, at, u.actor, "note", None::<String>, text])?;
            }
        }
    }
    Ok(())
}
