//! The matter's documents as planning and writing read them: whole
//! families a batch at a time, in DOCID order, with the family rules
//! applied. A volume of a million documents is planned, checked and written
//! in passes over the matter, never holding all its documents at once.

use super::families;
use super::plan::Blocker;
use crate::error::Error;
use crate::matter::Matter;
use crate::model::Document;

/// Top-level documents read at a time (with all their attachments).
const TOPS: u64 = 2048;

/// Calls `each` with every document of the matter in DOCID order, whole
/// families a batch at a time, the family rules applied; returns the
/// blockers those rules raise.
pub fn each(
    matter: &Matter,
    mut each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Vec<Blocker>, Error> {
    let last = matter.store.max_doc_seq()?;
    let mode = matter.config.production.families;
    let mut blockers = Vec::new();
    let mut start = 0;
    while start <= last {
        let end = start.saturating_add(TOPS).min(last + 1);
        let mut docs = matter.store.families_in(start..end)?;
        start = end;
        if docs.is_empty() {
            continue;
        }
        blockers.extend(families::apply(&mut docs, mode));
        each(docs)?;
    }
    Ok(blockers)
}

/// Every document of the matter with the family rules applied, in DOCID
/// order (`status` counts them all).
pub fn all(matter: &Matter) -> Result<Vec<Document>, Error> {
    let mut docs = matter.store.documents()?;
    families::apply(&mut docs, matter.config.production.families);
    Ok(docs)
}
