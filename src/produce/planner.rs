//! Planning a volume a batch of families at a time. `add` reads each
//! document once and keeps only what the plan needs of it (a `Planned`
//! entry without numbers, and a 40-byte dedupe key); `finish` settles the
//! duplicates and numbers the representatives. A volume of a million
//! documents is planned without holding the documents.

use super::bates::BatesFormat;
use super::plan::{
    Blocker, CategoryCount, Duplicate, Form, LeftOut, Pages, Plan, Planned, SourceState, check,
    children_of, decision, extracted_values, family_bates, level, number_attachment_lines,
};
use crate::matter::config::{Config, Dedupe, WithheldMode};
use crate::model::{
    DocId, Document, Earlier, EarlierDocs, FileKind, Fingerprint, Status, Treatment, fingerprint,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Dedupe compares top-level documents only: an attachment is never removed
/// from its family because the same bytes exist elsewhere.
fn dedupe_key(id: DocId, sha256: &str, custodian: &str, mode: Dedupe) -> Option<Fingerprint> {
    if id.is_child() {
        return None;
    }
    match mode {
        Dedupe::Global => Some(fingerprint(&[sha256.as_bytes()])),
        Dedupe::Custodian => Some(fingerprint(&[custodian.as_bytes(), sha256.as_bytes()])),
        Dedupe::None => None,
    }
}

/// The extension a native keeps in NATIVES/: the source's, when it is
/// letters, digits, `_` and `-` only. Any other (a newline, a backslash, a
/// space in a name such as `notes.t<LF>xt`) would split a SHA256SUMS line
/// or turn a NATIVELINK into a folder, so the native goes out without one.
pub(super) fn native_extension(rel_path: &str) -> String {
    let ext = crate::extract::extension(rel_path);
    if ext
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        ext
    } else {
        String::new()
    }
}

/// The attachments inside `id`'s original file, at any depth, that may not
/// go out in it: each withheld, redacted or not reviewed, named with why.
fn held_inside(id: DocId, children: &HashMap<DocId, Vec<&Document>>) -> Vec<String> {
    let mut held = Vec::new();
    for kid in children.get(&id).map_or(&[][..], Vec::as_slice) {
        let why = match kid.review.status {
            Status::Produce | Status::NotResponsive => None,
            Status::Withhold => Some("withheld"),
            Status::Redact => Some("redacted"),
            Status::Unreviewed => Some("not reviewed"),
        };
        if let Some(why) = why {
            held.push(format!("{} ({why})", kid.id));
        }
        held.extend(held_inside(kid.id, children));
    }
    held
}

/// What the document was when planned: the write re-reads it and refuses a
/// volume whose documents changed in between (another reviewer's tag on a
/// shared matter), so nothing goes out under a decision it no longer has.
pub fn version(doc: &Document, config: &Config) -> Fingerprint {
    let d = decision(doc, config);
    let categories = doc.review.categories.join("\u{1f}");
    let filename = doc.review.filename.as_deref().unwrap_or_default();
    fingerprint(&[
        &d.fingerprint(),
        doc.updated_at.as_bytes(),
        doc.source.sha256.as_bytes(),
        categories.as_bytes(),
        filename.as_bytes(),
    ])
}

fn selected(doc: &Document) -> bool {
    matches!(
        doc.review.status,
        Status::Produce | Status::Redact | Status::Withhold
    )
}

/// A top-level document's dedupe key, with what its copies must agree on.
#[derive(Clone, Copy)]
struct Keyed {
    key: Fingerprint,
    id: DocId,
    decision: Fingerprint,
}

/// The plan being made: `add` batches of whole families in DOCID order,
/// then `finish`.
pub struct Planner<'a> {
    config: &'a Config,
    earlier: &'a EarlierDocs,
    /// Every selected document not in an earlier volume, in DOCID order.
    candidates: Vec<Planned>,
    keys: Vec<Keyed>,
    /// What blocks each candidate, in DOCID order (only representatives' count).
    blockers: Vec<(DocId, Blocker)>,
    left_out: Vec<LeftOut>,
    /// Category names, numbered as the candidates hold them.
    categories: Vec<String>,
    shared: HashSet<Arc<str>>,
}

impl<'a> Planner<'a> {
    pub fn new(config: &'a Config, earlier: &'a EarlierDocs) -> Planner<'a> {
        Planner {
            config,
            earlier,
            candidates: Vec::new(),
            keys: Vec::new(),
            blockers: Vec::new(),
            left_out: Vec::new(),
            categories: config.categories.iter().map(|c| c.id.clone()).collect(),
            shared: HashSet::new(),
        }
    }

    /// Adds whole families in DOCID order, with the family rules applied.
    /// `sources`: problems found re-reading their files (absent: none
    /// known); `rendered`: the page count of each e-mail that renders.
    pub fn add(
        &mut self,
        documents: &[Document],
        sources: &HashMap<DocId, SourceState>,
        rendered: &HashMap<DocId, Result<u64, String>>,
    ) {
        let config = self.config;
        let mode = config.production.dedupe;
        let children = children_of(documents);
        for doc in documents
            .iter()
            .filter(|d| selected(d) && !self.earlier.contains_key(&d.id))
        {
            if let Some(key) = dedupe_key(doc.id, &doc.source.sha256, &doc.source.custodian, mode) {
                self.keys.push(Keyed {
                    key,
                    id: doc.id,
                    decision: decision(doc, config).fingerprint(),
                });
            }
            for b in check(doc, config, sources.get(&doc.id)) {
                self.blockers.push((doc.id, b));
            }
            let kids = children.get(&doc.id).map_or(&[][..], Vec::as_slice);
            let (treatment, mut form, count) = self.form(doc, kids, rendered);
            // An original holds every attachment's bytes and name: it goes
            // out only when none of them is kept back.
            let held = held_inside(doc.id, &children);
            match &mut form {
                Form::Rendered { original, .. } => *original = held.is_empty(),
                Form::Native { .. } if !held.is_empty() => self.blockers.push((
                    doc.id,
                    Blocker {
                        docids: vec![doc.id],
                        reason: format!(
                            "it would go out as its original file, which holds {}: produce it as rendered pages (tag it --as-native=false) or withhold it",
                            held.join(", ")
                        ),
                    },
                )),
                _ => {}
            }
            if treatment != Treatment::Produced {
                self.left_out.extend(extracted_values(doc));
            }
            let categories = doc
                .review
                .categories
                .iter()
                .map(|c| self.category(c))
                .collect();
            let confidentiality = level(doc, config).map(|l| self.shared(&l));
            self.candidates.push(Planned::new(
                doc.id,
                (treatment, form, count),
                confidentiality,
                version(doc, config),
                categories,
            ));
        }
    }

    /// Room for `documents` candidates at once: a list that doubled as it
    /// grew would, for a moment, hold one and a half copies of itself.
    pub fn reserve(&mut self, documents: usize) {
        self.candidates.reserve(documents);
    }

    fn category(&mut self, name: &str) -> u16 {
        match self.categories.iter().position(|c| c == name) {
            Some(i) => i as u16,
            None => {
                self.categories.push(name.to_string());
                (self.categories.len() - 1) as u16
            }
        }
    }

    /// One shared copy of each level's name and each extension: most
    /// documents share a handful (a name such as `scan 2023.05.01` makes
    /// an extension of its own, which costs what a copy of it did).
    fn shared(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.shared.get(name) {
            return shared.clone();
        }
        let shared: Arc<str> = name.into();
        self.shared.insert(shared.clone());
        shared
    }

    /// How the document goes out, and how many numbers it takes.
    fn form(
        &mut self,
        doc: &Document,
        kids: &[&Document],
        rendered: &HashMap<DocId, Result<u64, String>>,
    ) -> (Treatment, Form, u64) {
        let r = &doc.review;
        match r.status {
            Status::Withhold => match self.config.bates.withheld {
                WithheldMode::Slipsheet => (Treatment::Withheld, Form::WithheldSlip, 1),
                WithheldMode::LogOnly => (Treatment::Withheld, Form::LogOnly, 0),
            },
            Status::Redact => (
                Treatment::Redacted,
                Form::Image { redacted: true },
                r.redacted_pages.unwrap_or(0),
            ),
            _ if super::email::renders(doc) => {
                let count = match rendered.get(&doc.id) {
                    Some(Ok(pages)) => *pages,
                    Some(Err(reason)) => {
                        self.blockers.push((doc.id, Blocker {
                            docids: vec![doc.id],
                            reason: format!("{reason} (tag it --as-native to produce the native with a slip sheet)"),
                        }));
                        0
                    }
                    None => {
                        self.blockers.push((
                            doc.id,
                            Blocker {
                                docids: vec![doc.id],
                                reason: "its rendered pages were not counted".into(),
                            },
                        ));
                        0
                    }
                };
                (
                    Treatment::Produced,
                    Form::Rendered {
                        attachments: super::email::attachment_lines(kids).into(),
                        original: true,
                    },
                    count,
                )
            }
            _ if r.as_native
                || doc.source.kind != FileKind::Pdf
                || doc.source.problem.is_some() =>
            {
                let extension = self.shared(&native_extension(&doc.source.rel_path));
                (Treatment::Produced, Form::Native { extension }, 1)
            }
            _ => (
                Treatment::Produced,
                Form::Image { redacted: false },
                doc.source.page_count.unwrap_or(0),
            ),
        }
    }

    /// Settles the duplicates and numbers the representatives in DOCID order.
    pub fn finish(
        self,
        volume: &str,
        bates: &BatesFormat,
        first_number: u64,
        first_log_id: u64,
    ) -> Plan {
        let Planner {
            config,
            earlier,
            mut candidates,
            keys,
            blockers: candidate_blockers,
            left_out: candidate_left_out,
            categories: names,
            ..
        } = self;
        let (mut duplicates, mut blockers, not_representatives) = settle(keys, earlier, config);

        // A duplicate e-mail's attachments go out with its representative's
        // family: each is listed as a duplicate of the attachment at the same
        // place there.
        let duplicate_tops: HashMap<DocId, (DocId, Option<String>)> = duplicates
            .iter()
            .filter(|d| !d.docid.is_child())
            .map(|d| (d.docid, (d.represented_by, d.earlier_volume.clone())))
            .collect();
        candidates.retain(|p| {
            if not_representatives.binary_search(&p.docid).is_ok() {
                return false;
            }
            let Some((rep_top, earlier_volume)) = duplicate_tops
                .get(&p.docid.top())
                .filter(|_| p.docid.is_child())
            else {
                return true;
            };
            let same_place = p
                .docid
                .path()
                .iter()
                .try_fold(*rep_top, |id, &n| id.child(n));
            if let Some(rep) = same_place {
                duplicates.push(Duplicate {
                    docid: p.docid,
                    represented_by: rep,
                    earlier_volume: earlier_volume.clone(),
                });
            }
            false
        });
        duplicates.sort_by_key(|d| d.docid);
        let is_representative =
            |id: &DocId| candidates.binary_search_by(|p| p.docid.cmp(id)).is_ok();
        blockers.extend(
            candidate_blockers
                .into_iter()
                .filter(|(id, _)| is_representative(id))
                .map(|(_, b)| b),
        );
        let left_out: Vec<LeftOut> = candidate_left_out
            .into_iter()
            .filter(|l| is_representative(&l.docid))
            .collect();
        let mut copies: HashMap<DocId, Vec<DocId>> = HashMap::new();
        for d in &duplicates {
            copies.entry(d.represented_by).or_default().push(d.docid);
        }

        let mut counts: Vec<CategoryCount> = vec![CategoryCount::default(); names.len()];
        let mut pages = Pages::default();
        let mut number = first_number;
        let mut log_id = first_log_id;
        for p in candidates.iter_mut() {
            let count = p.pages;
            match &p.form {
                Form::Image { .. } | Form::Rendered { .. } => pages.image_pages += count,
                Form::Native { .. } => pages.native_slip_sheets += count,
                Form::WithheldSlip => pages.withheld_slip_sheets += count,
                Form::LogOnly => {}
            }
            if count > 0 {
                p.set_numbers(number, number + count - 1);
            }
            number += count;
            if p.treatment != Treatment::Produced {
                p.set_log_id(log_id);
                log_id += 1;
            }
            for &c in p.categories.iter() {
                let entry = &mut counts[c as usize];
                match p.treatment {
                    Treatment::Produced => entry.produced += 1,
                    Treatment::Redacted => entry.redacted += 1,
                    Treatment::Withheld => entry.withheld += 1,
                }
            }
            if let Some(copies) = copies.remove(&p.docid) {
                p.set_duplicates(copies);
            }
        }
        // Configured categories are always listed; others once used.
        let configured = config.categories.len();
        let categories: BTreeMap<String, CategoryCount> = names
            .into_iter()
            .zip(counts)
            .enumerate()
            .filter(|(i, (_, c))| *i < configured || c.produced + c.redacted + c.withheld > 0)
            .map(|(_, pair)| pair)
            .collect();
        pages.total = pages.image_pages + pages.native_slip_sheets + pages.withheld_slip_sheets;
        family_bates(&mut candidates);
        number_attachment_lines(&mut candidates);
        let last = (number > first_number).then(|| number - 1);
        if let Some(last) = last
            && !bates.fits(last)
        {
            blockers.push(Blocker {
                docids: Vec::new(),
                reason: format!(
                    "the last Bates number, {last}, does not fit in {} digits (the largest is {})",
                    bates.width,
                    bates.format(bates.max())
                ),
            });
        }
        blockers.extend(super::plan::index_sheet_blocker(volume, candidates.len()));
        // Held for the whole produce: no room left over from the list's growth.
        candidates.shrink_to_fit();
        Plan {
            volume: volume.to_string(),
            documents: candidates,
            duplicates,
            first_bates: last.map(|_| bates.format(first_number)),
            last_bates: last.map(|l| bates.format(l)),
            pages,
            categories,
            blockers,
            left_out,
        }
    }
}

/// Groups the top-level documents by dedupe key: the duplicates, the
/// blockers for copies that disagree, and the documents that are not
/// their group's representative (sorted).
fn settle(
    mut keys: Vec<Keyed>,
    earlier: &EarlierDocs,
    config: &Config,
) -> (Vec<Duplicate>, Vec<Blocker>, Vec<DocId>) {
    let mode = config.production.dedupe;
    keys.sort_unstable_by(|a, b| a.key.cmp(&b.key).then(a.id.cmp(&b.id)));
    // Copies already produced, by dedupe key: the lowest representative;
    // only of the keys this plan has, looked up in its sorted keys (a
    // matter of a million produced documents is not indexed again for a
    // volume of a few, nor a volume of a million indexed a second time).
    let mut earlier_by_key: HashMap<Fingerprint, (DocId, &Earlier)> = HashMap::new();
    for (id, e) in earlier.iter() {
        let Some(key) = dedupe_key(DocId(0), &e.sha256, &e.custodian, mode) else {
            continue;
        };
        if keys.binary_search_by(|k| k.key.cmp(&key)).is_err() {
            continue;
        }
        let rep = e.represented_by;
        earlier_by_key
            .entry(key)
            .and_modify(|cur| {
                if rep < cur.0 {
                    *cur = (rep, e)
                }
            })
            .or_insert((*id, e));
    }
    let (mut duplicates, mut blockers, mut out) = (Vec::new(), Vec::new(), Vec::new());
    for group in keys.chunk_by(|a, b| a.key == b.key) {
        let earlier = earlier_by_key.get(&group[0].key);
        if earlier.is_none() && group.len() == 1 {
            continue;
        }
        let reference = earlier
            .map(|(_, e)| e.decision)
            .unwrap_or(group[0].decision);
        if group.iter().any(|k| k.decision != reference) {
            let mut ids: Vec<DocId> = group.iter().map(|k| k.id).collect();
            if let Some((id, _)) = earlier {
                ids.push(*id);
            }
            ids.sort();
            blockers.push(Blocker {
                docids: ids.clone(),
                reason: format!(
                    "exact duplicates ({}) disagree on status, privileges, description, redacted file or confidentiality{}; tag them alike",
                    ids.iter().map(DocId::to_string).collect::<Vec<_>>().join(", "),
                    earlier.map(|(_, e)| format!(", including the copy produced in {}", e.volume)).unwrap_or_default()
                ),
            });
        }
        for (i, k) in group.iter().enumerate() {
            match earlier {
                Some((_, e)) => duplicates.push(Duplicate {
                    docid: k.id,
                    represented_by: e.represented_by,
                    earlier_volume: Some(e.volume.to_string()),
                }),
                None if i > 0 => duplicates.push(Duplicate {
                    docid: k.id,
                    represented_by: group[0].id,
                    earlier_volume: None,
                }),
                None => continue,
            }
            out.push(k.id);
        }
    }
    // Blockers in DOCID order of their first document, whatever the hashes.
    blockers.sort_by(|a, b| a.docids.cmp(&b.docids));
    out.sort();
    (duplicates, blockers, out)
}
