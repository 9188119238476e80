//! FAMILY_BROKEN: email families as the index describes them, from
//! BEGATTACH/ENDATTACH (or a family-range cell), a PARENT column and an
//! attachment-ids column. Reported: an attachment whose parent is not in
//! the production; a parent naming attachments that are absent; members of
//! one family that disagree on its range; a range that does not run from the
//! parent's first number to the last member's last number.

use super::Audit;
use crate::audit::bates::{Bates, format};
use crate::audit::finding::{Code, Finding};
use crate::audit::rows::IndexRow;
use std::collections::{BTreeMap, HashSet};

/// `(volume, canonical prefix, number)` of a Bates number in volume `v`.
fn key(a: &Audit, v: usize, raw: &str) -> Option<(usize, String, u64)> {
    let b = Bates::parse(raw)?;
    if b.is_inserted() {
        return None;
    }
    let p = a.patterns[v].canonical(&b)?;
    Some((v, p.to_string(), b.number))
}

/// A family's range as text.
fn span(beg: &str, end: &str) -> String {
    if end.is_empty() || end == beg {
        beg.to_string()
    } else {
        format!("{beg} – {end}")
    }
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    let usable = |r: &IndexRow| !r.malformed;
    // Every identifier a family member may be named by: only looked up for
    // rows that name a parent or attachments (none in a volume of loose
    // documents, which then builds no set of every row's numbers).
    let names_members = |r: &IndexRow| !r.parent().is_empty() || !r.attach_ids().is_empty();
    let ids: HashSet<&str> = if a.rows.iter().any(names_members) {
        a.rows
            .iter()
            .flat_map(|r| [&*r.beg_raw, &*r.control_id])
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        HashSet::new()
    };
    let in_production = |id: &str| ids.contains(id);
    for row in a.rows.iter().filter(|r| usable(r)) {
        let vol = a.volume_name(row.volume);
        if !row.parent().is_empty()
            && *row.parent() != *row.name_key()
            && !in_production(row.parent())
        {
            out.push(
                Finding::new(
                    Code::FamilyBroken,
                    vol,
                    format!(
                        "{} names its parent {}, which is not in the production ({}).",
                        row.label(),
                        row.parent(),
                        row.location.describe()
                    ),
                )
                .bates(row.bates_ends().into_iter().take(1))
                .at(row.location.clone()),
            );
        }
        let absent: Vec<&str> = row
            .attach_ids()
            .iter()
            .map(|id| &**id)
            .filter(|id| *id != row.name_key() && !in_production(id))
            .collect();
        if !absent.is_empty() {
            out.push(
                Finding::new(
                    Code::FamilyBroken,
                    vol,
                    format!(
                        "{} names {} {}, which {} not in the production ({}).",
                        row.label(),
                        if absent.len() == 1 {
                            "the attachment"
                        } else {
                            "the attachments"
                        },
                        absent.join(", "),
                        if absent.len() == 1 { "is" } else { "are" },
                        row.location.describe()
                    ),
                )
                .bates(row.bates_ends().into_iter().take(1))
                .at(row.location.clone()),
            );
        }
    }
    ranges(a, &mut out);
    out
}

/// The volume each row counts in for families: an overlay's row stands where
/// the row it replaces stood (a recalled attachment stays in its family).
fn home(a: &Audit) -> Vec<usize> {
    let mut home: Vec<usize> = a.rows.iter().map(|r| r.volume).collect();
    for (ri, by) in a.overlays.replaced_by.iter().enumerate() {
        if let (Some(oi), Some(r)) = (by, a.rows.get(ri))
            && let Some(h) = home.get_mut(*oi)
        {
            *h = r.volume;
        }
    }
    home
}

/// Families by their first number: members that disagree on the range, and
/// ranges that do not run from the parent's first number to the last
/// member's last number.
fn ranges(a: &Audit, out: &mut Vec<Finding>) {
    let home = home(a);
    let mut families: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (ri, r) in a.rows.iter().enumerate() {
        if !r.malformed && !r.beg_attach().is_empty() && !a.replaced(ri) {
            families
                .entry((home[ri], r.beg_attach().to_string()))
                .or_default()
                .push(ri);
        }
    }
    // A volume of loose documents has no family to check: no map of every
    // row's number is built for it.
    if families.is_empty() {
        return;
    }
    // Rows by their first number, per volume and prefix.
    let mut by_number: BTreeMap<(usize, String, u64), usize> = BTreeMap::new();
    for (ri, r) in a.rows.iter().enumerate() {
        if !a.replaced(ri)
            && let Some(k) = key(a, home[ri], &r.beg_raw)
        {
            by_number.entry(k).or_insert(ri);
        }
    }
    for ((v, beg), group) in families {
        let vol = a.volume_name(v);
        let first = &a.rows[group[0]];
        // Members claiming another end.
        if let Some(&other) = group
            .iter()
            .find(|&&r| a.rows[r].end_attach() != first.end_attach())
        {
            let o = &a.rows[other];
            out.push(
                Finding::new(
                    Code::FamilyBroken,
                    vol,
                    format!(
                        "The members of family {beg} disagree on its range: {} says {}, {} says {}.",
                        first.label(),
                        span(&beg, first.end_attach()),
                        o.label(),
                        span(&beg, o.end_attach())
                    ),
                )
                .bates([beg.clone()])
                .at(o.location.clone()),
            );
            continue;
        }
        let end = first.end_attach().to_string();
        let (Some(kb), Some(ke)) = (key(a, v, &beg), key(a, v, &end)) else {
            continue;
        };
        if ke.1 != kb.1 || ke.2 < kb.2 {
            continue;
        }
        // Rows lying inside the range that claim another family.
        let inside: Vec<usize> = by_number
            .range(kb.clone()..=ke.clone())
            .map(|(_, &r)| r)
            .collect();
        if let Some(&stray) = inside
            .iter()
            .find(|&&r| !a.rows[r].beg_attach().is_empty() && *a.rows[r].beg_attach() != *beg)
        {
            let o = &a.rows[stray];
            out.push(
                Finding::new(
                    Code::FamilyBroken,
                    vol,
                    format!(
                        "The members of family {} disagree on its range: {} lies inside it but says its family is {}.",
                        span(&beg, &end),
                        o.label(),
                        span(o.beg_attach(), o.end_attach())
                    ),
                )
                .bates([beg.clone()])
                .at(o.location.clone()),
            );
            continue;
        }
        let Some(&parent) = by_number.get(&kb) else {
            out.push(
                Finding::new(
                    Code::FamilyBroken,
                    vol,
                    format!(
                        "Family {} starts at {beg}, which is no document's first number (its members: {}).",
                        span(&beg, &end),
                        group.iter().map(|&r| a.rows[r].label()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .bates([beg.clone()])
                .at(first.location.clone()),
            );
            continue;
        };
        // The last member's last number.
        let members = inside.iter().chain(&group).copied().chain([parent]);
        let last = members
            .filter_map(|r| {
                let row = &a.rows[r];
                let e = key(
                    a,
                    v,
                    if row.end_raw.is_empty() {
                        &row.beg_raw
                    } else {
                        &row.end_raw
                    },
                )?;
                (e.1 == kb.1).then_some((e.2, r))
            })
            .max();
        if let Some((n, r)) = last
            && n != ke.2
        {
            let width = a.patterns[v].width_of(&kb.1).unwrap_or(1);
            let last_row = &a.rows[r];
            out.push(
                Finding::new(
                    Code::FamilyBroken,
                    vol,
                    format!(
                        "Family {} should end at {}, the last number of its last member {}.",
                        span(&beg, &end),
                        format(&kb.1, width, n),
                        last_row.label()
                    ),
                )
                .bates([beg.clone()])
                .at(first.location.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, with_code};

    fn with_family(first: &str, second: &str) -> Vec<Finding> {
        let p = Production::standard();
        p.index_csv(&[
            "BEGBATES,ENDBATES,PGCOUNT,IMAGELINK,BEGATTACH,ENDATTACH,PARENT_BATES",
            &format!("DHS-000001,DHS-000003,3,IMAGES/0001/DHS-000001.pdf,{first}"),
            &format!("DHS-000004,DHS-000004,1,IMAGES/0001/DHS-000004.pdf,{second}"),
        ]);
        check(&p.gather().0)
    }

    #[test]
    fn a_whole_family_gives_nothing() {
        let f = with_family("DHS-000001,DHS-000004,", "DHS-000001,DHS-000004,DHS-000001");
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn an_attachment_whose_parent_is_absent_is_broken() {
        let f = with_family("DHS-000001,DHS-000003,", "DHS-000090,DHS-000091,DHS-000090");
        let found = with_code(&f, Code::FamilyBroken);
        assert!(!found.is_empty(), "{f:?}");
        assert!(
            found.iter().any(|x| x.message.contains("DHS-000090")),
            "{found:?}"
        );
    }

    #[test]
    fn members_that_disagree_on_the_range_are_broken() {
        let f = with_family("DHS-000001,DHS-000004,", "DHS-000001,DHS-000005,DHS-000001");
        assert!(!with_code(&f, Code::FamilyBroken).is_empty(), "{f:?}");
    }
}
