//! Review updates written in a handful of statements, whatever the size of the
//! sheet: every row's values travel as arrays and `unnest` spreads them out on
//! the server. Row by row, a 20,000-row sheet is 100,000 round trips (40 s on
//! a local server); in arrays it is a few dozen.

use super::super::store::ReviewUpdate;
use super::super::tables::{Cell, Kind, TABLES, review_columns};
use crate::error::Error;
use postgres::Transaction;
use postgres::types::ToSql;
use std::collections::{BTreeMap, HashSet};

/// The values of one column for every row of a batch, typed for PostgreSQL.
enum Column {
    Int(Vec<Option<i64>>),
    Text(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
}

impl Column {
    fn new(kind: Kind) -> Column {
        match kind {
            Kind::Int => Column::Int(Vec::new()),
            Kind::Text => Column::Text(Vec::new()),
            Kind::Bool => Column::Bool(Vec::new()),
        }
    }

    fn push(&mut self, cell: &Cell) {
        match (self, cell) {
            (Column::Int(v), Cell::Int(n)) => v.push(Some(*n)),
            (Column::Int(v), Cell::Bool(b)) => v.push(Some(*b as i64)),
            (Column::Int(v), _) => v.push(None),
            (Column::Bool(v), Cell::Bool(b)) => v.push(Some(*b)),
            (Column::Bool(v), Cell::Int(n)) => v.push(Some(*n != 0)),
            (Column::Bool(v), _) => v.push(None),
            (Column::Text(v), Cell::Text(t)) => v.push(Some(t.clone())),
            (Column::Text(v), Cell::Int(n)) => v.push(Some(n.to_string())),
            (Column::Text(v), _) => v.push(None),
        }
    }

    fn sql_type(&self) -> &'static str {
        match self {
            Column::Int(_) => "bigint[]",
            Column::Text(_) => "text[]",
            Column::Bool(_) => "boolean[]",
        }
    }

    fn as_param(&self) -> &(dyn ToSql + Sync) {
        match self {
            Column::Int(v) => v,
            Column::Text(v) => v,
            Column::Bool(v) => v,
        }
    }
}

fn kind_of(column: &str) -> Kind {
    TABLES[0]
        .columns
        .iter()
        .find(|(name, _)| *name == column)
        .map_or(Kind::Text, |(_, k)| *k)
}

/// Writes `updates` inside `tx`, in the order given: a document updated twice
/// in one call ends with the later values, and history keeps both.
pub fn apply(tx: &mut Transaction<'_>, at: &str, updates: &[ReviewUpdate]) -> Result<(), Error> {
    // A batch never holds the same document twice, so one UPDATE per batch
    // has one row to write per document.
    let mut start = 0;
    while start < updates.len() {
        let mut seen = HashSet::new();
        let mut end = start;
        while end < updates.len() && seen.insert(updates[end].id) {
            end += 1;
        }
        apply_batch(tx, at, &updates[start..end])?;
        start = end;
    }
    Ok(())
}

fn apply_batch(tx: &mut Transaction<'_>, at: &str, updates: &[ReviewUpdate]) -> Result<(), Error> {
    // Two reviewers' sheets over the same documents lock them in one order
    // (DOCID), so neither waits on the other in a cycle; a plan's own order
    // (heap or array order) would deadlock them.
    let mut seqs: Vec<i64> = updates.iter().map(|u| u.id.0 as i64).collect();
    seqs.sort_unstable();
    tx.execute(
        "SELECT 1 FROM (SELECT seq FROM documents WHERE seq = ANY($1) ORDER BY seq FOR NO KEY UPDATE) AS locked",
        &[&seqs],
    )?;
    update_documents(tx, updates)?;
    replace_sets(tx, updates, "document_categories", "category_id", |u| {
        u.categories_changed.then_some(&u.review.categories)
    })?;
    replace_sets(tx, updates, "document_privileges", "code", |u| {
        u.privileges_changed.then_some(&u.review.privileges)
    })?;
    insert_history_and_notes(tx, at, updates)
}

/// One UPDATE per set of changed columns: only the fields a reviewer changed
/// are written, so a colleague's change to another field is never undone.
fn update_documents(tx: &mut Transaction<'_>, updates: &[ReviewUpdate]) -> Result<(), Error> {
    let mut groups: BTreeMap<Vec<&'static str>, (Vec<i64>, Vec<Column>)> = BTreeMap::new();
    for u in updates {
        let columns = review_columns(u);
        if columns.is_empty() {
            continue;
        }
        let names: Vec<&'static str> = columns.iter().map(|(c, _)| *c).collect();
        let (seqs, values) = groups.entry(names.clone()).or_insert_with(|| {
            (
                Vec::new(),
                names.iter().map(|c| Column::new(kind_of(c))).collect(),
            )
        });
        seqs.push(u.id.0 as i64);
        for (column, (_, cell)) in values.iter_mut().zip(&columns) {
            column.push(cell);
        }
    }
    for (names, (seqs, values)) in &groups {
        let sets: Vec<String> = names
            .iter()
            .map(|c| match *c {
                "first_reviewed_at" => format!("{c} = COALESCE(d.{c}, v.{c})"),
                _ => format!("{c} = v.{c}"),
            })
            .collect();
        let arrays: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("${}::{}", i + 2, v.sql_type()))
            .collect();
        let sql = format!(
            "UPDATE documents AS d SET {} FROM unnest($1::bigint[], {}) AS v(seq, {}) WHERE d.seq = v.seq",
            sets.join(", "),
            arrays.join(", "),
            names.join(", ")
        );
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![seqs];
        params.extend(values.iter().map(Column::as_param));
        tx.execute(&sql, &params)?;
    }
    Ok(())
}

/// Replaces a document's categories or privileges where the reviewer changed
/// them.
fn replace_sets<'a>(
    tx: &mut Transaction<'_>,
    updates: &'a [ReviewUpdate],
    table: &str,
    column: &str,
    changed: impl Fn(&'a ReviewUpdate) -> Option<&'a Vec<String>>,
) -> Result<(), Error> {
    let mut cleared = Vec::new();
    let (mut seqs, mut values) = (Vec::new(), Vec::new());
    for u in updates {
        if let Some(set) = changed(u) {
            let seq = u.id.0 as i64;
            cleared.push(seq);
            for v in set {
                seqs.push(seq);
                values.push(v.clone());
            }
        }
    }
    if cleared.is_empty() {
        return Ok(());
    }
    tx.execute(
        &format!("DELETE FROM {table} WHERE seq = ANY($1::bigint[])"),
        &[&cleared],
    )?;
    tx.execute(
        &format!(
            "INSERT INTO {table} (seq, {column}) SELECT * FROM unnest($1::bigint[], $2::text[])"
        ),
        &[&seqs, &values],
    )?;
    Ok(())
}

/// History rows in the order the changes were made (a note last for its
/// document), and the notes themselves.
fn insert_history_and_notes(
    tx: &mut Transaction<'_>,
    at: &str,
    updates: &[ReviewUpdate],
) -> Result<(), Error> {
    let mut h_seq = Vec::new();
    let mut h_actor = Vec::new();
    let mut h_field = Vec::new();
    let mut h_old: Vec<Option<String>> = Vec::new();
    let mut h_new: Vec<Option<String>> = Vec::new();
    let (mut n_seq, mut n_actor, mut n_text) = (Vec::new(), Vec::new(), Vec::new());
    for u in updates {
        let seq = u.id.0 as i64;
        for c in &u.changes {
            h_seq.push(seq);
            h_actor.push(u.actor.clone());
            h_field.push(c.field.to_string());
            h_old.push(c.old.clone());
            h_new.push(c.new.clone());
        }
        if let Some(text) = &u.note {
            h_seq.push(seq);
            h_actor.push(u.actor.clone());
            h_field.push("note".to_string());
            h_old.push(None);
            h_new.push(Some(text.clone()));
            n_seq.push(seq);
            n_actor.push(u.actor.clone());
            n_text.push(text.clone());
        }
    }
    if !n_seq.is_empty() {
        tx.execute(
            "INSERT INTO notes (seq, at, actor, text)
             SELECT v.seq, $1, v.actor, v.text
             FROM unnest($2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS v(seq, actor, text, n)
             ORDER BY v.n",
            &[&at, &n_seq, &n_actor, &n_text],
        )?;
    }
    if !h_seq.is_empty() {
        tx.execute(
            "INSERT INTO history (seq, at, actor, field, old_value, new_value)
             SELECT v.seq, $1, v.actor, v.field, v.old_value, v.new_value
             FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
                  WITH ORDINALITY AS v(seq, actor, field, old_value, new_value, n)
             ORDER BY v.n",
            &[&at, &h_seq, &h_actor, &h_field, &h_old, &h_new],
        )?;
    }
    Ok(())
}
