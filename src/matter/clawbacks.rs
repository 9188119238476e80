//! What the matter records about a clawback (Rule 26(b)(5)(B), FRE 502): the
//! request for a produced document, and the overlay volume that replaced it
//! on the same Bates numbers. Backend-neutral values; both stores keep them
//! in the `clawbacks` table and mark an overlay in `volumes.overlay_of`.

use crate::model::DocId;
use serde::Serialize;

/// How a recalled document is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Replacement {
    /// A one-page slip sheet on its first number, the rest padded.
    Withheld,
    /// Its redacted file on the same numbers.
    Redacted,
}

impl Replacement {
    pub fn label(self) -> &'static str {
        match self {
            Replacement::Withheld => "Withheld",
            Replacement::Redacted => "Redacted",
        }
    }

    pub fn parse(text: &str) -> Option<Replacement> {
        match text {
            "Withheld" => Some(Replacement::Withheld),
            "Redacted" => Some(Replacement::Redacted),
            _ => None,
        }
    }
}

/// A recall request as `adrec clawback` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewClawback {
    pub docid: DocId,
    /// The volume that produced the document, and the numbers it took there.
    pub volume: String,
    pub beg: u64,
    pub end: u64,
    /// The date of the request, `YYYY-MM-DD`.
    pub requested_on: String,
    pub actor: String,
    /// Privilege codes asserted.
    pub privileges: Vec<String>,
    pub description: String,
    pub reason: Option<String>,
    pub replacement: Replacement,
}

/// A recorded request, and the overlay that replaced it once there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clawback {
    pub id: u64,
    #[serde(flatten)]
    pub request: NewClawback,
    /// When it was recorded (RFC 3339).
    pub at: String,
    pub overlay: Option<String>,
    /// The privilege-log number the overlay gave it.
    pub log_id: Option<u64>,
}

impl Clawback {
    pub fn outstanding(&self) -> bool {
        self.overlay.is_none()
    }
}

/// Everything an overlay volume records, in one transaction.
#[derive(Debug, Clone)]
pub struct OverlayRecord {
    pub name: String,
    pub title: String,
    pub date: String,
    /// The volumes whose rows it replaces.
    pub overlay_of: Vec<String>,
    /// (clawback id, privilege-log number) for every request it carries out.
    pub replaced: Vec<(u64, u64)>,
    pub index_rows: Vec<String>,
    pub privlog_rows: Vec<String>,
}

/// The refusal both stores give when a request was already carried out by
/// another overlay (two overlays raced): nothing is recorded.
pub fn already_replaced(id: u64, overlay: &str) -> crate::error::Error {
    crate::error::Error::input(format!(
        "clawback {id} was already replaced by the overlay volume {overlay} while this one was being written"
    ))
    .hint("nothing was recorded; `adrec status` lists the clawbacks still outstanding")
}

/// The refusal when a document already has a clawback not yet replaced.
pub fn already_recalled(docid: DocId) -> crate::error::Error {
    crate::error::Error::input(format!(
        "{docid} already has a clawback that no overlay has replaced yet"
    ))
    .hint("produce the overlay (`adrec produce VOLUME --overlay`) before recalling it again; nothing was recorded")
}
