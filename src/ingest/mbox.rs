//! Mailboxes: each message of an `.mbox` is read as a top-level e-mail of
//! its own (`NAME.mbox#N`), hashed on its unescaped bytes, with its attachments.

use super::family::{self, FamilyRead};
use super::hash::{Hashed, digest};
use crate::model::Extracted;

/// Whether a file is a mailbox (`.mbox`, or content that starts like one).
pub(super) fn is_mbox(bytes: &[u8], file_name: &str) -> bool {
    crate::extract::extension(file_name) == "mbox"
        || crate::extract::mbox::looks_like_mbox(&bytes[..bytes.len().min(1024)])
}

/// Each message of a mailbox, unescaped, hashed and read like an `.eml`
/// named `NAME.mbox#N`, with its attachments.
pub(super) fn read_mbox(bytes: &[u8], file_name: &str) -> Vec<(Hashed, Extracted, FamilyRead)> {
    crate::extract::mbox::messages(bytes)
        .into_iter()
        .enumerate()
        .map(|(n, range)| {
            let message = crate::extract::mbox::unescape(&bytes[range]);
            let (sha256, md5) = digest(&message);
            let name = format!("{file_name}#{}", n + 1);
            let mut extracted = crate::extract::email::extract(&message);
            let family = if extracted.problem.is_none() {
                family::read(&message, &name)
            } else {
                FamilyRead::default()
            };
            extracted
                .metadata
                .notes
                .extend(family.notes.iter().cloned());
            let hashed = Hashed {
                sha256,
                md5,
                size: message.len() as u64,
            };
            (hashed, extracted, family)
        })
        .collect()
}
