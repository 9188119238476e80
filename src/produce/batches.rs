//! The matter's documents as planning and writing read them: whole
//! families a batch at a time, in DOCID order, with the family rules
//! applied. A volume of a million documents is planned, checked and written
//! in passes over the matter, never holding all its documents at once.

use super::families;
use super::plan::Blocker;
use crate::error::Error;
use crate::matter::{Matter, Store};
use crate::model::Document;

/// Top-level documents read at a time (with all their attachments).
const TOPS: u64 = 2048;

/// Calls `each` with every document of the matter in DOCID order, whole
/// families a batch at a time, the family rules applied; returns the
/// blockers those rules raise. A matter of more than one batch is read
/// ahead: a second handle on its store reads the next batch on another
/// thread while `each` works on this one.
pub fn each(
    matter: &Matter,
    mut each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<Vec<Blocker>, Error> {
    let mode = matter.config.production.families;
    let mut blockers = Vec::new();
    each_as_stored(matter, |mut docs| {
        blockers.extend(families::apply(&mut docs, mode));
        each(docs)
    })?;
    Ok(blockers)
}

/// Calls `each` with every document of the matter as stored (no family
/// rules applied: `adrec docs` lists what reviewers set), in DOCID order,
/// whole families a batch at a time; read ahead as [`each`] is.
pub fn each_as_stored(
    matter: &Matter,
    each: impl FnMut(Vec<Document>) -> Result<(), Error>,
) -> Result<(), Error> {
    let last = matter.store.max_doc_seq()?;
    if last < TOPS {
        let mut each = each;
        Batches::new(&*matter.store, last).try_for_each(|docs| each(docs?))
    } else {
        read_ahead(Batches::new(matter.reader()?, last), each)
    }
}

/// The matter's families, a batch of top-level documents at a time (a
/// batch with no documents left is skipped).
struct Batches<S> {
    store: S,
    start: u64,
    last: u64,
}

impl<S: std::ops::Deref<Target = dyn Store + 'static>> Batches<S> {
    fn new(store: S, last: u64) -> Self {
        Batches {
            store,
            start: 0,
            last,
        }
    }
}

impl<S: std::ops::Deref<Target = dyn Store + 'static>> Iterator for Batches<S> {
    type Item = Result<Vec<Document>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.start <= self.last {
            let end = self.start.saturating_add(TOPS).min(self.last + 1);
            let docs = self.store.families_in(self.start..end);
            self.start = end;
            match docs {
                Ok(docs) if docs.is_empty() => continue,
                Ok(docs) => return Some(Ok(docs)),
                Err(e) => {
                    // Nothing is read after a batch that failed.
                    self.start = self.last + 1;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

/// Calls `each` with the batches in order while the next one is read on
/// another thread (one batch waits at most, so memory stays a few batches).
/// The first error, the reader's or `each`'s, ends both.
fn read_ahead<T: Send>(
    batches: impl Iterator<Item = Result<T, Error>> + Send,
    mut each: impl FnMut(T) -> Result<(), Error>,
) -> Result<(), Error> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let reader = std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn_scoped(s, move || {
                for batch in batches {
                    let failed = batch.is_err();
                    // A closed channel: the work stopped, so the reading does.
                    if tx.send(batch).is_err() || failed {
                        break;
                    }
                }
            })
            .map_err(|e| {
                Error::internal(format!("could not start a thread to read the matter: {e}"))
                    .hint("the system is short of threads or memory; close other programs and run the command again")
            })?;
        let worked = rx.iter().try_for_each(|batch| each(batch?));
        // Closing the channel first lets a reader blocked on it finish.
        drop(rx);
        let joined = reader
            .join()
            .map_err(|_| Error::internal("the thread reading the matter stopped unexpectedly"));
        worked.and(joined)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn read_ahead_hands_every_batch_over_in_order() {
        let mut seen = Vec::new();
        read_ahead((0..50).map(Ok), |n| {
            seen.push(n);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn a_batch_that_fails_to_read_is_the_error_after_those_before_it() {
        let mut seen = Vec::new();
        let batches = (0..10).map(|n| {
            if n == 4 {
                Err(Error::internal("batch 4 does not read"))
            } else {
                Ok(n)
            }
        });
        let err = read_ahead(batches, |n| {
            seen.push(n);
            Ok(())
        })
        .unwrap_err();
        assert!(err.to_string().contains("batch 4"), "{err}");
        assert_eq!(seen, vec![0, 1, 2, 3]);
    }

    #[test]
    fn work_that_fails_stops_the_reading() {
        let read = AtomicUsize::new(0);
        let batches = (0..1_000).map(|n| {
            read.fetch_add(1, Ordering::SeqCst);
            Ok(n)
        });
        let err = read_ahead(batches, |n| {
            if n == 2 {
                Err(Error::internal("batch 2 cannot be written"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert!(err.to_string().contains("batch 2"), "{err}");
        // The reader stays at most a batch or two ahead, then stops.
        assert!(
            read.load(Ordering::SeqCst) <= 6,
            "{}",
            read.load(Ordering::SeqCst)
        );
    }
}
