//! `TagChange`: the field updates one sheet row or one `tag DOCID...`
//! command asks for, parsed and checked against `adrec.toml`; applying it to a
//! document's review gives the new review, and comparing the two gives the
//! history rows.

use super::cell::{self, CLEAR, Cell};
use super::field::Field;
use super::redacted::Redacted;
use crate::matter::Config;
use crate::model::Status;
use crate::model::{FieldChange, Review};

/// What a request does to one optional field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Edit<T> {
    /// Not mentioned (an empty cell): leave the field as it is.
    #[default]
    Keep,
    Set(T),
    /// `[clear]`: empty the field.
    Clear,
}

impl<T: Clone> Edit<T> {
    fn apply(&self, current: &Option<T>) -> Option<T> {
        match self {
            Edit::Keep => current.clone(),
            Edit::Set(v) => Some(v.clone()),
            Edit::Clear => None,
        }
    }

    fn is_keep(&self) -> bool {
        matches!(self, Edit::Keep)
    }
}

/// The updates one request asks for. `categories`/`privileges` replace the
/// whole set (`Some(vec![])` empties it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagChange {
    pub status: Option<Status>,
    pub categories: Option<Vec<String>>,
    pub privileges: Option<Vec<String>>,
    pub description: Edit<String>,
    pub confidentiality: Edit<String>,
    pub redacted: Edit<Redacted>,
    pub as_native: Option<bool>,
    pub hidden_reviewed: Option<bool>,
    pub doc_date: Edit<String>,
    pub doc_type: Edit<String>,
    pub author: Edit<String>,
    pub recipients: Edit<String>,
    pub title: Edit<String>,
    pub filename: Edit<String>,
    pub note: Option<String>,
}

/// Words that name a file format, which DOC_TYPE must not be.
const FILE_FORMATS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "eml", "msg", "txt", "rtf", "htm", "html",
    "csv", "png", "jpg", "jpeg", "gif", "tif", "tiff", "zip", "odt", "ods", "odp", "xml", "json",
];

impl TagChange {
    /// Sets `field` from `cell`. An empty cell leaves the field alone; `[clear]`
    /// empties it. `redacted` checks a redacted file (hash, pages) by its path text.
    pub fn set(
        &mut self,
        field: Field,
        cell: &Cell,
        config: &Config,
        redacted: &mut dyn FnMut(&str) -> Result<Redacted, String>,
    ) -> Result<(), String> {
        if field == Field::DocDate {
            if let Cell::Text(t) = cell
                && cell::strip_neutraliser(t.trim())
                    .trim()
                    .eq_ignore_ascii_case(CLEAR)
            {
                self.doc_date = Edit::Clear;
                return Ok(());
            }
            if let Some(date) = cell::parse_doc_date(cell)? {
                self.doc_date = Edit::Set(date.as_text());
            }
            return Ok(());
        }
        if let (Field::AsNative | Field::HiddenReviewed, Cell::Bool(b)) = (field, cell) {
            self.set_flag(field, *b);
            return Ok(());
        }
        let Some(text) = cell.text()? else {
            return Ok(());
        };
        let clear = text.eq_ignore_ascii_case(CLEAR);
        let edit = |text: String| if clear { Edit::Clear } else { Edit::Set(text) };
        match field {
            Field::Status => {
                if clear {
                    return Err("a status cannot be cleared; write `unreviewed` to reset it".into());
                }
                self.status = Some(Status::parse(&text).ok_or_else(|| {
                    format!(
                        "{text:?} is not a status; use unreviewed, not-responsive, produce, redact or withhold"
                    )
                })?);
            }
            Field::Category => self.categories = Some(categories(&text, clear, config)?),
            Field::Privilege => self.privileges = Some(privileges(&text, clear, config)?),
            Field::Description => self.description = edit(text),
            Field::Confidentiality => {
                self.confidentiality = if clear {
                    Edit::Clear
                } else {
                    let level = config.level(&text).ok_or_else(|| {
                        format!(
                            "there is no confidentiality level {text:?} in adrec.toml; {}",
                            choices(config.confidentiality.levels.iter().map(|l| &l.name))
                        )
                    })?;
                    Edit::Set(level.name.clone())
                }
            }
            Field::RedactedFile => {
                self.redacted = if clear {
                    Edit::Clear
                } else {
                    Edit::Set(redacted(&text)?)
                }
            }
            Field::AsNative | Field::HiddenReviewed => {
                let value = if clear {
                    false
                } else {
                    cell::parse_bool(&text).ok_or_else(|| {
                        format!("{text:?} is not yes or no; write yes, no or [clear]")
                    })?
                };
                self.set_flag(field, value);
            }
            Field::DocType => {
                if !clear
                    && FILE_FORMATS.contains(&text.trim_start_matches('.').to_lowercase().as_str())
                {
                    return Err(format!(
                        "{text:?} is a file format; doc-type names the kind of document, e.g. Email, Memorandum, Letter, Draft, Notes"
                    ));
                }
                self.doc_type = edit(text);
            }
            Field::Author => self.author = edit(text),
            Field::Recipients => self.recipients = edit(text),
            Field::Title => self.title = edit(text),
            Field::Filename => self.filename = edit(text),
            Field::Note => {
                if clear {
                    return Err("notes are kept for good; a note cannot be cleared".into());
                }
                self.note = Some(text);
            }
            // Dates are read above, from the cell itself.
            Field::DocDate => {}
        }
        Ok(())
    }

    fn set_flag(&mut self, field: Field, value: bool) {
        if field == Field::AsNative {
            self.as_native = Some(value);
        } else {
            self.hidden_reviewed = Some(value);
        }
    }

    /// True when the request asks for nothing but (at most) a note.
    pub fn is_note_only(&self) -> bool {
        let without_note = TagChange {
            note: None,
            ..self.clone()
        };
        without_note == TagChange::default()
    }

    pub fn is_empty(&self) -> bool {
        self.is_note_only() && self.note.is_none()
    }

    /// The review after this change. `at` stamps the first time the status
    /// leaves `unreviewed`.
    pub fn apply(&self, old: &Review, at: &str) -> Review {
        let mut new = old.clone();
        if let Some(s) = self.status {
            new.status = s;
        }
        if let Some(c) = &self.categories {
            new.categories = c.clone();
        }
        if let Some(p) = &self.privileges {
            new.privileges = p.clone();
        }
        new.description = self.description.apply(&old.description);
        new.confidentiality = self.confidentiality.apply(&old.confidentiality);
        if !self.redacted.is_keep() {
            let r = self.redacted.apply(&None);
            new.redacted_sha256 = r.as_ref().map(|r| r.sha256.clone());
            new.redacted_pages = r.map(|r| r.pages);
        }
        new.as_native = self.as_native.unwrap_or(old.as_native);
        new.hidden_reviewed = self.hidden_reviewed.unwrap_or(old.hidden_reviewed);
        new.doc_date = self.doc_date.apply(&old.doc_date);
        new.doc_type = self.doc_type.apply(&old.doc_type);
        new.author = self.author.apply(&old.author);
        new.recipients = self.recipients.apply(&old.recipients);
        new.title = self.title.apply(&old.title);
        new.filename = self.filename.apply(&old.filename);
        if new.status != Status::Unreviewed && new.first_reviewed_at.is_none() {
            new.first_reviewed_at = Some(at.to_string());
        }
        new
    }
}

/// The history rows between two reviews, under the fields' user names.
pub fn diff(old: &Review, new: &Review) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: Field, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(FieldChange {
                field: field.name(),
                old: a,
                new: b,
            });
        }
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            None
        } else {
            Some(v.join("; "))
        }
    };
    let flag = |b: bool| Some(if b { "yes" } else { "no" }.to_string());
    let redacted = |r: &Review| {
        r.redacted_sha256
            .as_ref()
            .map(|sha| match r.redacted_pages {
                Some(1) => format!("sha256 {sha} (1 page)"),
                Some(n) => format!("sha256 {sha} ({n} pages)"),
                None => format!("sha256 {sha}"),
            })
    };
    push(
        Field::Status,
        Some(old.status.as_str().into()),
        Some(new.status.as_str().into()),
    );
    push(
        Field::Category,
        list(&old.categories),
        list(&new.categories),
    );
    push(
        Field::Privilege,
        list(&old.privileges),
        list(&new.privileges),
    );
    push(
        Field::Description,
        old.description.clone(),
        new.description.clone(),
    );
    push(
        Field::Confidentiality,
        old.confidentiality.clone(),
        new.confidentiality.clone(),
    );
    push(Field::RedactedFile, redacted(old), redacted(new));
    push(Field::AsNative, flag(old.as_native), flag(new.as_native));
    push(
        Field::HiddenReviewed,
        flag(old.hidden_reviewed),
        flag(new.hidden_reviewed),
    );
    push(Field::DocDate, old.doc_date.clone(), new.doc_date.clone());
    push(Field::DocType, old.doc_type.clone(), new.doc_type.clone());
    push(Field::Author, old.author.clone(), new.author.clone());
    push(
        Field::Recipients,
        old.recipients.clone(),
        new.recipients.clone(),
    );
    push(Field::Title, old.title.clone(), new.title.clone());
    push(Field::Filename, old.filename.clone(), new.filename.clone());
    out
}

/// `a; b` → the configured ids, in sorted order, without repeats. A name
/// (`Communications and agreements …`) is accepted for its id.
fn categories(text: &str, clear: bool, config: &Config) -> Result<Vec<String>, String> {
    resolve_list(text, clear, |part| {
        config
            .category(part)
            .or_else(|| {
                config
                    .categories
                    .iter()
                    .find(|c| c.name.trim().eq_ignore_ascii_case(part))
            })
            .map(|c| c.id.clone())
            .ok_or_else(|| {
                format!(
                    "there is no category {part:?} in adrec.toml; {}",
                    choices(config.categories.iter().map(|c| &c.id))
                )
            })
    })
}

fn privileges(text: &str, clear: bool, config: &Config) -> Result<Vec<String>, String> {
    resolve_list(text, clear, |part| {
        config
            .privilege(part)
            .or_else(|| {
                config
                    .privileges
                    .iter()
                    .find(|p| p.name.trim().eq_ignore_ascii_case(part))
            })
            .map(|p| p.code.clone())
            .ok_or_else(|| {
                format!(
                    "there is no privilege code {part:?} in adrec.toml; {}",
                    choices(config.privileges.iter().map(|p| &p.code))
                )
            })
    })
}

fn resolve_list(
    text: &str,
    clear: bool,
    resolve: impl Fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, String> {
    if clear {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match resolve(part) {
            Ok(v) => out.push(v),
            Err(e) => bad.push(e),
        }
    }
    if !bad.is_empty() {
        return Err(bad.join("; "));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn choices<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "adrec.toml defines none; add it there first".to_string()
    } else {
        format!("use one of: {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        let text = crate::matter::config::template("mpp-order").unwrap();
        Config::parse(text, Path::new("adrec.toml")).unwrap()
    }

    fn set(change: &mut TagChange, field: Field, text: &str) -> Result<(), String> {
        let mut no_files = |_: &str| -> Result<Redacted, String> { Err("no files here".into()) };
        change.set(field, &Cell::Text(text.into()), &config(), &mut no_files)
    }

    #[test]
    fn lists_use_configured_spelling_and_replace() {
        let mut c = TagChange::default();
        set(&mut c, Field::Privilege, " dp ; ac;DP").unwrap();
        assert_eq!(c.privileges, Some(vec!["AC".to_string(), "DP".to_string()]));
        set(&mut c, Field::Category, "3;1").unwrap();
        let old = Review {
            categories: vec!["2".into()],
            ..Default::default()
        };
        let new = c.apply(&old, "T");
        assert_eq!(new.categories, ["1", "3"]);
        let err = set(&mut c, Field::Privilege, "DP; XX; YY").unwrap_err();
        assert!(err.contains("\"XX\"") && err.contains("\"YY\""), "{err}");
        set(&mut c, Field::Category, "[CLEAR]").unwrap();
        assert_eq!(c.categories, Some(vec![]));
    }

    #[test]
    fn empty_keeps_and_clear_empties() {
        let old = Review {
            description: Some("old".into()),
            ..Default::default()
        };
        let mut c = TagChange::default();
        set(&mut c, Field::Description, "  ").unwrap();
        assert!(c.is_empty());
        assert_eq!(c.apply(&old, "T").description.as_deref(), Some("old"));
        set(&mut c, Field::Description, "[clear]").unwrap();
        assert_eq!(c.apply(&old, "T").description, None);
    }

    #[test]
    fn first_review_is_stamped_once() {
        let mut c = TagChange::default();
        set(&mut c, Field::Status, "produce").unwrap();
        let new = c.apply(&Review::default(), "T1");
        assert_eq!(new.first_reviewed_at.as_deref(), Some("T1"));
        assert_eq!(c.apply(&new, "T2").first_reviewed_at.as_deref(), Some("T1"));
    }

    #[test]
    fn diff_names_fields_and_joins_sets() {
        let old = Review::default();
        let new = Review {
            status: Status::Withhold,
            privileges: vec!["AC".into(), "DP".into()],
            ..Default::default()
        };
        let d = diff(&old, &new);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].field, d[0].new.as_deref()),
            ("status", Some("withhold"))
        );
        assert_eq!(
            (d[1].field, d[1].old.as_deref(), d[1].new.as_deref()),
            ("privilege", None, Some("AC; DP"))
        );
    }

    #[test]
    fn rejects_what_it_should() {
        let mut c = TagChange::default();
        assert!(set(&mut c, Field::Status, "produced").is_err());
        assert!(set(&mut c, Field::Status, "[clear]").is_err());
        assert!(set(&mut c, Field::DocType, "PDF").is_err());
        assert!(set(&mut c, Field::AsNative, "perhaps").is_err());
        assert!(set(&mut c, Field::Note, "[clear]").is_err());
        assert!(set(&mut c, Field::Confidentiality, "SECRET").is_err());
        assert!(set(&mut c, Field::DocDate, "2024-13-01").is_err());
    }
}
