//! Rows written to an anonymous temporary file as they are made, then read
//! back: a volume's index of 100,000 rows reaches the store's record of the
//! volume without ever being held in memory. Each row is one line of JSON,
//! exactly as the store freezes it.
//!
//! The file has no name (it is unlinked from the start where the platform
//! allows), so a killed process leaves nothing behind. Reads are positional,
//! so any number of passes can run one after another from a shared `Spill`.

use crate::error::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// A row as one line of JSON, as a spill (and the store) keeps it; JSON
/// escapes every line break inside a value, so the line is whole.
pub fn freeze<T: Serialize>(row: &T) -> Result<String, Error> {
    serde_json::to_string(row).map_err(|e| Error::internal(format!("a row cannot be stored: {e}")))
}

/// Rows being written; [`SpillWriter::finish`] makes them readable.
pub struct SpillWriter<T> {
    out: BufWriter<File>,
    dir: PathBuf,
    len: usize,
    /// Bytes written so far: where the next line begins.
    bytes: u64,
    row: PhantomData<fn(T)>,
}

/// Rows written, in the order pushed.
#[derive(Debug)]
pub struct Spill<T> {
    file: File,
    len: usize,
    row: PhantomData<fn() -> T>,
}

fn io_error(dir: &Path, e: std::io::Error) -> Error {
    Error::io("write a temporary file of rows in", dir, e)
}

impl<T: Serialize> SpillWriter<T> {
    /// A temporary file in `dir` (on the volume's filesystem, outside it).
    pub fn new_in(dir: &Path) -> Result<SpillWriter<T>, Error> {
        let file = tempfile::tempfile_in(dir).map_err(|e| io_error(dir, e))?;
        Ok(SpillWriter {
            out: BufWriter::with_capacity(1 << 16, file),
            dir: dir.to_path_buf(),
            len: 0,
            bytes: 0,
            row: PhantomData,
        })
    }

    pub fn push(&mut self, row: &T) -> Result<(), Error> {
        let mut counted = Counted {
            out: &mut self.out,
            bytes: &mut self.bytes,
        };
        serde_json::to_writer(&mut counted, row)
            .map_err(|e| Error::internal(format!("a row cannot be stored: {e}")))?;
        self.end_line()
    }

    /// A row already frozen to its line of JSON (one made by [`freeze`]);
    /// where its line begins, for [`Spill::row_at`].
    pub fn push_frozen(&mut self, line: &str) -> Result<u64, Error> {
        let at = self.bytes;
        self.out
            .write_all(line.as_bytes())
            .map_err(|e| io_error(&self.dir, e))?;
        self.bytes += line.len() as u64;
        self.end_line()?;
        Ok(at)
    }

    fn end_line(&mut self) -> Result<(), Error> {
        self.out
            .write_all(b"\n")
            .map_err(|e| io_error(&self.dir, e))?;
        self.bytes += 1;
        self.len += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<Spill<T>, Error> {
        let dir = self.dir;
        let file = self
            .out
            .into_inner()
            .map_err(|e| io_error(&dir, e.into_error()))?;
        Ok(Spill {
            file,
            len: self.len,
            row: PhantomData,
        })
    }
}

impl<T> Spill<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Each row as its line of JSON (what the store records).
    pub fn frozen(&self) -> impl Iterator<Item = Result<String, Error>> + '_ {
        let mut reader = BufReader::with_capacity(
            1 << 16,
            At {
                file: &self.file,
                pos: 0,
            },
        );
        let mut left = self.len;
        std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            left -= 1;
            Some(read_line(&mut reader))
        })
    }

    /// The line that begins at `at` (as [`SpillWriter::push_frozen`] said).
    pub fn frozen_at(&self, at: u64) -> Result<String, Error> {
        let at = At {
            file: &self.file,
            pos: at,
        };
        read_line(&mut BufReader::with_capacity(1 << 12, at))
    }
}

fn read_line(reader: &mut impl BufRead) -> Result<String, Error> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(_) if line.ends_with('\n') => {
            line.pop();
            Ok(line)
        }
        Ok(_) => Err(Error::internal(
            "a temporary file of rows ended early".to_string(),
        )),
        Err(e) => Err(Error::internal(format!(
            "a temporary file of rows could not be read back: {e}"
        ))),
    }
}

/// Counts what passes to a spill, so each line's place is known.
struct Counted<'a> {
    out: &'a mut BufWriter<File>,
    bytes: &'a mut u64,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        *self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl<T: DeserializeOwned> Spill<T> {
    /// The rows, read back.
    pub fn rows(&self) -> impl Iterator<Item = Result<T, Error>> + '_ {
        self.frozen().map(|line| thaw(&line?))
    }

    /// The row whose line begins at `at`.
    pub fn row_at(&self, at: u64) -> Result<T, Error> {
        thaw(&self.frozen_at(at)?)
    }
}

fn thaw<T: DeserializeOwned>(line: &str) -> Result<T, Error> {
    serde_json::from_str(line).map_err(|e| {
        Error::internal(format!(
            "a row could not be read back from its temporary file: {e}"
        ))
    })
}

/// A volume's rows as the store receives them: held in memory (small
/// overlays, tests) or spilled to a temporary file (a volume being written).
#[derive(Debug, Clone)]
pub enum Rows<T> {
    Held(Vec<T>),
    Spilled(std::sync::Arc<Spill<T>>),
}

impl<T> From<Vec<T>> for Rows<T> {
    fn from(rows: Vec<T>) -> Rows<T> {
        Rows::Held(rows)
    }
}

impl<T: Serialize> Rows<T> {
    /// Each row frozen to one JSON object, made one at a time as the store
    /// records them.
    pub fn frozen(&self) -> Box<dyn Iterator<Item = Result<String, Error>> + '_> {
        match self {
            Rows::Held(rows) => super::row::frozen(rows),
            Rows::Spilled(spill) => Box::new(spill.frozen()),
        }
    }
}

impl<T: DeserializeOwned + Clone> Rows<T> {
    /// Each row, one at a time.
    pub fn read(&self) -> Box<dyn Iterator<Item = Result<T, Error>> + '_> {
        match self {
            Rows::Held(rows) => Box::new(rows.iter().cloned().map(Ok)),
            Rows::Spilled(spill) => Box::new(spill.rows()),
        }
    }
}

/// Reads `file` from `pos` on without moving a shared file offset.
struct At<'a> {
    file: &'a File,
    pos: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_in_order_as_often_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = SpillWriter::<Vec<String>>::new_in(dir.path()).unwrap();
        let rows: Vec<Vec<String>> = (0..5000)
            .map(|i| vec![format!("row {i}"), "line\nbreak, \"quoted\"".into()])
            .collect();
        for r in &rows {
            w.push(r).unwrap();
        }
        let spill = w.finish().unwrap();
        assert_eq!(spill.len(), 5000);
        for _ in 0..2 {
            let back: Vec<Vec<String>> = spill.rows().collect::<Result<_, _>>().unwrap();
            assert_eq!(back, rows);
        }
        let first = spill.frozen().next().unwrap().unwrap();
        assert_eq!(first, serde_json::to_string(&rows[0]).unwrap());
        // Nothing is left in the folder: the file has no name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_row_reads_back_from_where_its_line_began() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = SpillWriter::<Vec<String>>::new_in(dir.path()).unwrap();
        let rows: Vec<Vec<String>> = (0..3000)
            .map(|i| vec![format!("row {i}"), "é\n\"x\"".repeat(i % 7)])
            .collect();
        let mut at = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            // Rows pushed either way are placed alike.
            if i % 2 == 0 {
                w.push(r).unwrap();
            } else {
                at.push((i, w.push_frozen(&freeze(r).unwrap()).unwrap()));
            }
        }
        let spill = w.finish().unwrap();
        for &(i, at) in at.iter().rev() {
            assert_eq!(spill.row_at(at).unwrap(), rows[i], "row {i}");
        }
        assert!(spill.row_at(u64::MAX / 2).is_err(), "past the end");
    }
}
