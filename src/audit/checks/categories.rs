//! EMPTY_CATEGORY (a category from `--categories` with no index row of any
//! treatment, across the volumes audited) and the per-category counts.
//! A CATEGORY cell is split on `;`; each part matches an id or a name
//! (trimmed, case-insensitive), or starts with the id (`3 - DOJ`).

use super::Audit;
use crate::audit::finding::{CategoryCount, Code, Finding};
use crate::audit::read::categories::Category;
use crate::audit::rows::Treatment;

fn matches(cat: &Category, part: &str) -> bool {
    let part = part.trim();
    if part.eq_ignore_ascii_case(&cat.id)
        || (!cat.name.is_empty() && part.to_lowercase() == cat.name.to_lowercase())
    {
        return true;
    }
    part.len() > cat.id.len()
        && part.is_char_boundary(cat.id.len())
        && part[..cat.id.len()].eq_ignore_ascii_case(&cat.id)
        && part[cat.id.len()..].starts_with(|c: char| !c.is_alphanumeric())
}

fn add(count: &mut CategoryCount, t: Treatment) {
    match t {
        Treatment::Produced => count.produced += 1,
        Treatment::Redacted => count.redacted += 1,
        Treatment::Withheld => count.withheld += 1,
    }
}

/// Counts per category: the listed ones first (in their order), then values
/// the index uses that the list lacks, then `(none)` for rows without one.
pub fn counts(a: &Audit) -> Vec<CategoryCount> {
    let listed = a.categories.as_deref().unwrap_or(&[]);
    let mut out: Vec<CategoryCount> = listed
        .iter()
        .map(|c| CategoryCount {
            id: c.id.clone(),
            name: c.name.clone(),
            listed: true,
            ..Default::default()
        })
        .collect();
    let mut none = CategoryCount {
        id: "(none)".into(),
        name: "no category".into(),
        listed: a.categories.is_none(),
        ..Default::default()
    };
    let mut extra: Vec<CategoryCount> = Vec::new();
    // A row an overlay replaces counts as its replacement does.
    for (_, row) in a
        .rows
        .iter()
        .enumerate()
        .filter(|(ri, r)| !r.malformed && !a.replaced(*ri))
    {
        if row.categories.is_empty() {
            add(&mut none, row.treatment);
            continue;
        }
        let mut counted = vec![false; out.len()];
        for part in &row.categories {
            if let Some(i) = listed.iter().position(|c| matches(c, part)) {
                if !counted[i] {
                    counted[i] = true;
                    add(&mut out[i], row.treatment);
                }
                continue;
            }
            match extra.iter_mut().find(|e| e.id.eq_ignore_ascii_case(part)) {
                Some(e) => add(e, row.treatment),
                None => {
                    let mut e = CategoryCount {
                        id: part.to_string(),
                        listed: a.categories.is_none(),
                        ..Default::default()
                    };
                    add(&mut e, row.treatment);
                    extra.push(e);
                }
            }
        }
    }
    if a.categories.is_none() {
        extra.sort_by_key(|x| natural(&x.id));
    }
    out.extend(extra);
    if none.total() > 0 {
        out.push(none);
    }
    out
}

/// Sorts `2` before `10`.
fn natural(s: &str) -> (u64, String) {
    (s.trim().parse().unwrap_or(u64::MAX), s.to_lowercase())
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let Some(_) = &a.categories else {
        return Vec::new();
    };
    counts(a)
        .into_iter()
        .filter(|c| c.listed && c.id != "(none)" && c.total() == 0)
        .map(|c| {
            Finding::new(
                Code::EmptyCategory,
                "",
                format!("Category {} has no document in the index: none produced, redacted or withheld.", c.label()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::audit::testing::{Production, with_code};

    #[test]
    fn a_listed_category_with_no_document_is_empty() {
        let p = Production::standard();
        p.file(
            "categories.csv",
            "id,name\n1,Decision memoranda\n2,Comments\n3,Communications with DOJ\n",
        );
        let path = p.volume().join("categories.csv");
        let (audit, _) = p.gather_with(|o| o.categories = Some(path));
        let f = check(&audit);
        let empty = with_code(&f, Code::EmptyCategory);
        assert_eq!(empty.len(), 1, "{f:?}");
        assert!(
            empty[0].message.contains("Communications with DOJ"),
            "{}",
            empty[0].message
        );
    }

    #[test]
    fn parts_match_ids_names_and_prefixed_ids() {
        let c = Category {
            id: "3".into(),
            name: "DOJ and EOIR".into(),
        };
        assert!(matches(&c, " 3 "));
        assert!(matches(&c, "doj and eoir"));
        assert!(matches(&c, "3 - DOJ"));
        assert!(!matches(&c, "30"));
        assert!(!matches(&c, "4"));
    }
}
