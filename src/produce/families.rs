//! The family rules, applied to the documents before planning (pure): a
//! child with no category takes its nearest ancestor's; with `families =
//! "whole"` a family with any selected member goes out whole, its
//! not-responsive members as Produced and its unreviewed members blocking
//! it. Documents arrive in DOCID order, so a family's members are together
//! and a parent comes before its children.

use super::plan::Blocker;
use crate::matter::config::Families;
use crate::model::{DocId, Document, Status};

fn selected(status: Status) -> bool {
    matches!(status, Status::Produce | Status::Redact | Status::Withhold)
}

/// Applies the rules to `documents` (in DOCID order) and returns the
/// blockers they raise.
pub fn apply(documents: &mut [Document], mode: Families) -> Vec<Blocker> {
    // The ancestors of the current document with their categories: DOCID
    // order is depth-first, so a stack holds exactly them.
    let mut ancestors: Vec<(DocId, Vec<String>)> = Vec::new();
    for doc in documents.iter_mut() {
        let parent = doc.id.parent();
        while ancestors.last().is_some_and(|(id, _)| Some(*id) != parent) {
            ancestors.pop();
        }
        if doc.review.categories.is_empty()
            && let Some((_, inherited)) = ancestors.last()
        {
            doc.review.categories = inherited.clone();
        }
        if doc.id.depth() < DocId::MAX_DEPTH {
            ancestors.push((doc.id, doc.review.categories.clone()));
        }
    }
    if mode == Families::ResponsiveOnly {
        return Vec::new();
    }
    let mut blockers = Vec::new();
    let mut start = 0;
    while start < documents.len() {
        let top = documents[start].id.top();
        let end = start
            + documents[start..]
                .iter()
                .take_while(|d| d.id.top() == top)
                .count();
        let family = &mut documents[start..end];
        start = end;
        if family.len() < 2 || !family.iter().any(|d| selected(d.review.status)) {
            continue;
        }
        let unreviewed: Vec<DocId> = family
            .iter()
            .filter(|d| d.review.status == Status::Unreviewed)
            .map(|d| d.id)
            .collect();
        if !unreviewed.is_empty() {
            blockers.push(Blocker {
                docids: unreviewed,
                reason: format!(
                    "unreviewed, in the family of {top}, which goes out whole (families = \"whole\"): tag every member, or set families = \"responsive-only\""
                ),
            });
        }
        for doc in family.iter_mut() {
            if doc.review.status == Status::NotResponsive {
                doc.review.status = Status::Produce;
            }
        }
    }
    blockers
}
