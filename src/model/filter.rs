//! Which documents a command looks at: one filter type for every command
//! that selects documents by their review (`docs`, `status`, `export`).
//! Names are checked against `adrec.toml` by `Config::check_filter`.

use super::{Document, Status};

/// Every field optional; an empty filter matches every document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocFilter {
    pub status: Option<Status>,
    /// A category id (case-insensitive).
    pub category: Option<String>,
    /// A privilege code (case-insensitive).
    pub privilege: Option<String>,
    /// A confidentiality level name, or `none` for documents with no level.
    pub confidentiality: Option<String>,
    /// The reviewer-set document type (case-insensitive).
    pub doc_type: Option<String>,
    /// With (`true`) or without (`false`) a redacted file.
    pub redacted: Option<bool>,
    pub as_native: Option<bool>,
    pub hidden_reviewed: Option<bool>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

impl DocFilter {
    pub fn matches(&self, d: &Document) -> bool {
        let r = &d.review;
        let same_opt = |a: &Option<String>, b: &str| a.as_deref().is_some_and(|a| same(a, b));
        self.status.is_none_or(|s| r.status == s)
            && self
                .category
                .as_ref()
                .is_none_or(|c| r.categories.iter().any(|x| same(x, c)))
            && self
                .privilege
                .as_ref()
                .is_none_or(|p| r.privileges.iter().any(|x| same(x, p)))
            && self.confidentiality.as_ref().is_none_or(|l| {
                if l.eq_ignore_ascii_case("none") {
                    r.confidentiality.is_none()
                } else {
                    same_opt(&r.confidentiality, l)
                }
            })
            && self
                .doc_type
                .as_ref()
                .is_none_or(|t| same_opt(&r.doc_type, t))
            && self
                .redacted
                .is_none_or(|y| y == r.redacted_sha256.is_some())
            && self.as_native.is_none_or(|y| y == r.as_native)
            && self.hidden_reviewed.is_none_or(|y| y == r.hidden_reviewed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Review;

    fn doc(review: Review) -> Document {
        Document::for_tests(review)
    }

    #[test]
    fn every_field_narrows_and_the_empty_filter_keeps_all() {
        let d = doc(Review {
            status: Status::Withhold,
            categories: vec!["2".into()],
            privileges: vec!["DP".into()],
            confidentiality: Some("CONFIDENTIAL".into()),
            doc_type: Some("Memorandum".into()),
            ..Review::default()
        });
        assert!(DocFilter::default().matches(&d));
        let yes = [
            DocFilter {
                status: Some(Status::Withhold),
                ..Default::default()
            },
            DocFilter {
                category: Some("2".into()),
                ..Default::default()
            },
            DocFilter {
                privilege: Some("dp".into()),
                ..Default::default()
            },
            DocFilter {
                confidentiality: Some("confidential".into()),
                ..Default::default()
            },
            DocFilter {
                doc_type: Some(" memorandum ".into()),
                ..Default::default()
            },
            DocFilter {
                redacted: Some(false),
                ..Default::default()
            },
            DocFilter {
                as_native: Some(false),
                ..Default::default()
            },
        ];
        for f in &yes {
            assert!(f.matches(&d), "{f:?}");
        }
        let no = [
            DocFilter {
                status: Some(Status::Produce),
                ..Default::default()
            },
            DocFilter {
                category: Some("1".into()),
                ..Default::default()
            },
            DocFilter {
                privilege: Some("AC".into()),
                ..Default::default()
            },
            DocFilter {
                confidentiality: Some("none".into()),
                ..Default::default()
            },
            DocFilter {
                doc_type: Some("Email".into()),
                ..Default::default()
            },
            DocFilter {
                redacted: Some(true),
                ..Default::default()
            },
            DocFilter {
                hidden_reviewed: Some(true),
                ..Default::default()
            },
        ];
        for f in &no {
            assert!(!f.matches(&d), "{f:?}");
        }
        let plain = doc(Review::default());
        assert!(
            DocFilter {
                confidentiality: Some("NONE".into()),
                ..Default::default()
            }
            .matches(&plain)
        );
    }
}
