//! The one row model every exporter writes: a production-index row and a
//! privilege-log row, with values already decided (privilege rules applied,
//! Bates numbers formatted). Frozen in the database when a volume is produced.

use serde::{Deserialize, Serialize};

/// The production index, in the SPEC's column order.
pub const INDEX_COLUMNS: [&str; 23] = [
    "BEGBATES",
    "ENDBATES",
    "PGCOUNT",
    "CONTROL_ID",
    "VOLUME",
    "CATEGORY",
    "TREATMENT",
    "CONFIDENTIALITY",
    "DOC_DATE",
    "DOC_TYPE",
    "TITLE",
    "AUTHOR",
    "RECIPIENTS",
    "CUSTODIAN",
    "FILENAME",
    "PRODUCED_SHA256",
    "SOURCE_SHA256",
    "SOURCE_MD5",
    "DUPLICATES",
    "BEGATTACH",
    "ENDATTACH",
    "PARENT_BATES",
    "ATTACH_BATES",
];

/// The DAT adds the link columns after the index columns.
pub const DAT_EXTRA_COLUMNS: [&str; 3] = ["NATIVELINK", "IMAGELINK", "TEXTLINK"];

/// The privilege log, in the SPEC's column order.
pub const PRIVLOG_COLUMNS: [&str; 16] = [
    "LOG_ID",
    "BEGBATES",
    "ENDBATES",
    "CONTROL_ID",
    "TREATMENT",
    "DOC_DATE",
    "DOC_TYPE",
    "AUTHOR",
    "RECIPIENTS",
    "DESCRIPTION",
    "PRIVILEGE",
    "CATEGORY",
    "VOLUME",
    "BEGATTACH",
    "ENDATTACH",
    "PARENT_BATES",
];

/// Rows as the store freezes them, one JSON object each, made one at a
/// time as the store records them.
pub fn frozen<T: Serialize>(
    rows: &[T],
) -> Box<dyn Iterator<Item = Result<String, crate::error::Error>> + '_> {
    Box::new(rows.iter().map(super::spill::freeze))
}

/// One document's row in the production index (and the DAT).
/// `serde(default)`: a row frozen before a column existed reads back with
/// that column empty, so volumes produced earlier always export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexRow {
    pub begbates: String,
    pub endbates: String,
    /// Bates numbers consumed; `None` for a log-only withheld document.
    pub pgcount: Option<u64>,
    pub control_id: String,
    pub volume: String,
    pub category: String,
    pub treatment: String,
    pub confidentiality: String,
    /// `YYYY-MM-DD`, or `None` when undated / unknown.
    pub doc_date: Option<String>,
    pub doc_type: String,
    pub title: String,
    pub author: String,
    pub recipients: String,
    pub custodian: String,
    pub filename: String,
    pub produced_sha256: String,
    pub source_sha256: String,
    pub source_md5: String,
    pub duplicates: String,
    /// Family links (empty for a document with no family, and in volumes
    /// produced before families).
    pub begattach: String,
    pub endattach: String,
    pub parent_bates: String,
    /// The immediate children's BEGBATES joined with `; `.
    pub attach_bates: String,
    /// Volume-relative link with backslashes, e.g. `VOL001\NATIVES\0001\X-000105.docx`; empty if none.
    pub nativelink: String,
    pub imagelink: String,
    /// The document's TEXT/ file, same form; empty in volumes produced
    /// before adrec wrote text.
    pub textlink: String,
}

impl IndexRow {
    /// The 23 index values as text, DOC_DATE as `YYYY-MM-DD` (CSV form).
    pub fn values(&self) -> [String; 23] {
        [
            self.begbates.clone(),
            self.endbates.clone(),
            self.pgcount.map(|n| n.to_string()).unwrap_or_default(),
            self.control_id.clone(),
            self.volume.clone(),
            self.category.clone(),
            self.treatment.clone(),
            self.confidentiality.clone(),
            self.doc_date.clone().unwrap_or_default(),
            self.doc_type.clone(),
            self.title.clone(),
            self.author.clone(),
            self.recipients.clone(),
            self.custodian.clone(),
            self.filename.clone(),
            self.produced_sha256.clone(),
            self.source_sha256.clone(),
            self.source_md5.clone(),
            self.duplicates.clone(),
            self.begattach.clone(),
            self.endattach.clone(),
            self.parent_bates.clone(),
            self.attach_bates.clone(),
        ]
    }
}

/// One entry of the privilege log (one per redacted or withheld document).
/// `serde(default)` as for `IndexRow`: rows frozen earlier keep exporting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrivLogRow {
    pub log_id: String,
    pub begbates: String,
    pub endbates: String,
    pub control_id: String,
    /// `Redacted` or `Withheld in Full`.
    pub treatment: String,
    /// `YYYY-MM-DD`, or `None` for an undated document (written `Undated`).
    pub doc_date: Option<String>,
    pub doc_type: String,
    pub author: String,
    pub recipients: String,
    pub description: String,
    /// Full privilege names joined with `; `.
    pub privilege: String,
    pub category: String,
    pub volume: String,
    /// So a logged attachment shows its e-mail (empty outside families).
    pub begattach: String,
    pub endattach: String,
    pub parent_bates: String,
}

impl PrivLogRow {
    pub fn values(&self) -> [String; 16] {
        [
            self.log_id.clone(),
            self.begbates.clone(),
            self.endbates.clone(),
            self.control_id.clone(),
            self.treatment.clone(),
            self.doc_date.clone().unwrap_or_else(|| "Undated".into()),
            self.doc_type.clone(),
            self.author.clone(),
            self.recipients.clone(),
            self.description.clone(),
            self.privilege.clone(),
            self.category.clone(),
            self.volume.clone(),
            self.begattach.clone(),
            self.endattach.clone(),
            self.parent_bates.clone(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row frozen by an older adrec lacks the columns added since: it must
    /// still read back, with those columns empty.
    fn without(json: &str, key: &str) -> String {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert!(
            value.as_object_mut().unwrap().remove(key).is_some(),
            "{key}"
        );
        value.to_string()
    }

    #[test]
    fn rows_frozen_before_a_column_existed_still_read_back() {
        let row = IndexRow {
            begbates: "DHS-MPP-000001".into(),
            duplicates: "DOC-000002".into(),
            imagelink: "VOL001\\IMAGES\\0001\\DHS-MPP-000001.pdf".into(),
            ..Default::default()
        };
        let json = serde_json::to_string(&row).unwrap();
        for key in ["duplicates", "imagelink", "textlink", "pgcount", "doc_date"] {
            let old: IndexRow = serde_json::from_str(&without(&json, key)).unwrap();
            assert_eq!(old.begbates, row.begbates);
            assert_eq!(old.values().len(), INDEX_COLUMNS.len());
        }
        let old: IndexRow = serde_json::from_str(&without(&json, "duplicates")).unwrap();
        assert_eq!(old.duplicates, "");
        let log = PrivLogRow {
            log_id: "PRIV-000001".into(),
            ..Default::default()
        };
        let json = serde_json::to_string(&log).unwrap();
        let old: PrivLogRow = serde_json::from_str(&without(&json, "volume")).unwrap();
        assert_eq!(
            (old.log_id.as_str(), old.volume.as_str()),
            ("PRIV-000001", "")
        );
    }
}
