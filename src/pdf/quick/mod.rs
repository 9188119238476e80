//! A fast reader for the common case: a PDF with one classic cross-reference
//! table, no incremental update and no encryption. It counts the page tree's
//! leaves and finds `/Redact` annotations by parsing only the objects on the
//! way, with the same rules as [`super::read::page_ids`] and
//! [`super::read::redact_annotations`]. Anything else (cross-reference
//! streams, `/Prev`, encryption, an offset that does not point at its object,
//! a syntax it does not expect) returns `None`, and the caller loads the file
//! with lopdf, which repairs what can be repaired.

use std::borrow::Cow;

mod contents;
mod inspect;
mod lexer;
pub use contents::last_contents;
pub use inspect::inspect;
use lexer::{Lexer, Obj, is_ws};

/// Page count and `/Redact` pages (one entry per annotation, from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub pages: u64,
    pub redact_pages: Vec<usize>,
}

struct Doc<'a> {
    b: &'a [u8],
    /// Cross-reference subsections: (first object, count, where their entries start).
    xref: Vec<(u32, u32, usize)>,
    trailer: Obj<'a>,
}

impl<'a> Doc<'a> {
    fn open(b: &'a [u8]) -> Option<Doc<'a>> {
        if !b.starts_with(b"%PDF-") && !b[..b.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
            return None;
        }
        let tail_start = b.len().saturating_sub(1024);
        let tail = &b[tail_start..];
        let at = (0..tail.len().saturating_sub(8))
            .rev()
            .find(|&i| tail[i] == b's' && &tail[i..i + 9] == b"startxref")?;
        let mut lx = Lexer {
            b,
            i: tail_start + at + 9,
        };
        let offset = lx.uint()? as usize;
        // The last thing in the file: `%%EOF` and nothing after it but
        // white space (a damaged last `startxref` must not lead to an
        // earlier revision's).
        if !lx.line_end()
            || !b[lx.i..].starts_with(b"%%EOF")
            || !b[lx.i + 5..].iter().all(|&c| is_ws(c))
        {
            return None;
        }
        let mut lx = Lexer { b, i: offset };
        // `startxref` must point at `xref` itself: one pointing at the space
        // before it is an offset the full reader corrects (a repair).
        if b.get(offset..offset + 4) != Some(b"xref".as_slice())
            || lx.word() != b"xref"
            || !lx.line_end()
        {
            return None;
        }
        // Entries are fixed 20-byte records: note where each subsection's
        // are, and read only the entries asked for.
        let mut xref = Vec::new();
        loop {
            if lx.peek_is(b"trailer") {
                lx.i += 7;
                break;
            }
            // `first SP count`, then an optional space and a line end,
            // as the full reader requires (it rebuilds the table otherwise).
            let first = lx.uint()?;
            if b.get(lx.i) != Some(&b' ') {
                return None;
            }
            lx.i += 1;
            let count = lx.uint()?;
            if first + count > 1_000_000 || !lx.line_end() {
                return None;
            }
            let at = lx.i;
            let end = at.checked_add(count as usize * 20)?;
            if end > b.len() || (count > 0 && !is_ws(b[end - 1])) {
                return None;
            }
            xref.push((first as u32, count as u32, at));
            lx.i = end;
        }
        let trailer = lx.value(0)?;
        if trailer.has(b"Prev") || trailer.has(b"Encrypt") || trailer.has(b"XRefStm") {
            return None;
        }
        Some(Doc { b, xref, trailer })
    }

    /// The object `num`, checked to be the one its offset claims.
    /// One past the highest object number the table covers.
    fn size(&self) -> usize {
        self.xref
            .iter()
            .map(|&(first, count, _)| (first + count) as usize)
            .max()
            .unwrap_or(0)
    }

    /// The offset of object `num`, read from its 20-byte entry
    /// (`oooooooooo ggggg n` and a two-byte line end).
    fn offset(&self, num: u32) -> Option<(usize, u64)> {
        self.offset_entry(num).flatten()
    }

    /// Object `num`'s entry: `Some(Some((offset, generation)))` in use,
    /// `Some(None)` free, `None` when the entry is malformed or absent.
    fn offset_entry(&self, num: u32) -> Option<Option<(usize, u64)>> {
        let &(first, _, at) = self
            .xref
            .iter()
            .rev()
            .find(|&&(first, count, _)| num >= first && num - first < count)?;
        let start = at + (num - first) as usize * 20;
        let e = self.b.get(start..start + 20)?;
        let digits = |r: std::ops::Range<usize>| e[r].iter().all(u8::is_ascii_digit);
        if !(digits(0..10)
            && e[10] == b' '
            && digits(11..16)
            && e[16] == b' '
            && matches!(&e[18..20], b" \r" | b" \n" | b"\r\n"))
        {
            return None;
        }
        match e[17] {
            b'n' => Some(Some((
                std::str::from_utf8(&e[0..10]).ok()?.parse().ok()?,
                std::str::from_utf8(&e[11..16]).ok()?.parse().ok()?,
            ))),
            b'f' => Some(None),
            _ => None,
        }
    }

    /// Every object the table lists in use starts where its entry says
    /// (`N G obj`) and reads as one value followed by `endobj` or a stream
    /// (whose body is stepped over, never copied): the full reader rebuilds
    /// the table when an object does not, and reads the file differently
    /// from then on.
    fn objects_sound(&self) -> bool {
        self.xref.iter().all(|&(first, count, _)| {
            (first..first + count).all(|num| match self.offset_entry(num) {
                Some(None) => true,
                Some(Some((off, generation))) => {
                    let mut lx = Lexer { b: self.b, i: off };
                    // At the object's first digit: an offset landing on the
                    // space before it is one the full reader corrects.
                    self.b.get(off).is_some_and(u8::is_ascii_digit)
                        && lx.uint() == Some(u64::from(num))
                        && lx.uint() == Some(generation)
                        && lx.word() == b"obj"
                        && lx.skip(0).is_some()
                        && matches!(lx.word(), b"endobj" | b"stream")
                }
                None => false,
            })
        })
    }

    fn object(&self, num: u32) -> Option<Obj<'a>> {
        self.object_and_end(num).map(|(o, _)| o)
    }

    /// The object `num` and where its value ends (before `endobj` or a
    /// stream's `stream` keyword).
    fn object_and_end(&self, num: u32) -> Option<(Obj<'a>, usize)> {
        let (off, generation) = self.offset(num)?;
        if off >= self.b.len() {
            return None;
        }
        let mut lx = Lexer { b: self.b, i: off };
        if lx.uint()? != num as u64 || lx.uint()? != generation {
            return None;
        }
        if lx.word() != b"obj" {
            return None;
        }
        let value = lx.value(0)?;
        Some((value, lx.i))
    }

    fn deref(&self, o: &Obj<'a>) -> Option<Obj<'a>> {
        match o {
            Obj::Ref(n) => self.object(*n),
            other => Some(other.clone()),
        }
    }
}

/// The catalog, the root of the page tree and its leaves (the pages).
struct PageTree<'a> {
    catalog: Obj<'a>,
    root: Obj<'a>,
    leaves: Vec<Obj<'a>>,
}

/// Page count and `/Redact` pages, or `None` when the file needs the full reader.
pub fn facts(bytes: &[u8]) -> Option<Facts> {
    let doc = Doc::open(bytes)?;
    let leaves = page_tree(&doc)?.leaves;
    let mut redact_pages = Vec::new();
    for (i, page) in leaves.iter().enumerate() {
        for subtype in annotation_subtypes(&doc, page)? {
            if subtype.as_deref() == Some(b"Redact".as_slice()) {
                redact_pages.push(i + 1);
            }
        }
    }
    Some(Facts {
        pages: leaves.len() as u64,
        redact_pages,
    })
}

/// The /Subtype of each annotation dictionary of `page` (`None` for one
/// without a name there; entries that are not dictionaries are skipped, as
/// the full reader skips them); `None` when an annotation does not resolve.
fn annotation_subtypes<'a>(doc: &Doc<'a>, page: &Obj<'a>) -> Option<Vec<Option<Cow<'a, [u8]>>>> {
    let Some(annots) = page.get(b"Annots") else {
        return Some(Vec::new());
    };
    let Obj::Array(annots) = doc.deref(&annots)? else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for annot in &annots {
        let dict = doc.deref(annot)?;
        if matches!(dict, Obj::Dict(..)) {
            out.push(dict.name_of(b"Subtype"));
        }
    }
    Some(out)
}

fn page_tree<'a>(doc: &Doc<'a>) -> Option<PageTree<'a>> {
    let catalog = doc.deref(&doc.trailer.get(b"Root")?)?;
    let root_ref = catalog.get(b"Pages")?;
    let Obj::Ref(root) = root_ref else {
        return None;
    };
    let mut leaves: Vec<Obj> = Vec::new();
    let mut seen = vec![false; doc.size()];
    let mut visited = 0usize;
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        match seen.get_mut(id as usize) {
            Some(true) => continue,
            Some(slot) => *slot = true,
            None => return None,
        }
        visited += 1;
        let node = doc.object(id)?;
        if !matches!(node, Obj::Dict(..)) {
            return None;
        }
        let kind = node.name_of(b"Type");
        let is_page = kind.as_deref() == Some(b"Page".as_slice());
        let kids = node.get(b"Kids").map(|k| doc.deref(&k));
        match kids {
            Some(Some(Obj::Array(kids))) if !is_page => {
                for kid in kids.iter().rev() {
                    if let Obj::Ref(n) = kid {
                        stack.push(*n);
                    }
                }
            }
            Some(None) => return None,
            _ => {
                if kind.as_deref() != Some(b"Pages".as_slice()) {
                    leaves.push(node);
                }
            }
        }
        if visited > 1_000_000 {
            return None;
        }
    }
    Some(PageTree {
        root: doc.object(root)?,
        catalog,
        leaves,
    })
}

/// A PDF with one classic cross-reference table holding `objects` (numbered
/// from 1), the first being the catalog; `trailer` adds trailer entries.
#[cfg(test)]
fn classic_pdf(objects: &[&str], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    let size = objects.len() + 1;
    out.extend(format!("xref\n0 {size}\n0000000000 65535 f \n").bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {size} /Root 1 0 R {trailer}>>\nstartxref\n{xref}\n%%EOF\n")
            .bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On every committed fixture the fast reader either steps aside or
    /// agrees with lopdf.
    #[test]
    fn agrees_with_lopdf_on_every_fixture() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
        let mut fast = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let Some(quick) = facts(&bytes) else { continue };
            fast += 1;
            let doc = crate::pdf::read::load(&bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let pages = crate::pdf::read::page_ids(&doc).unwrap();
            let full = Facts {
                pages: pages.len() as u64,
                redact_pages: crate::pdf::read::redact_annotations(&doc, &pages),
            };
            assert_eq!(quick, full, "{}", path.display());
        }
        assert!(fast >= 8, "the fast reader handled only {fast} fixtures");
    }

    #[test]
    fn steps_aside_for_damage_and_garbage() {
        for bytes in [
            &b""[..],
            b"%PDF-1.4\nstartxref\n999999\n%%EOF",
            b"not a pdf",
            b"%PDF-1.4\nxref\n0 1\nzz",
        ] {
            assert!(facts(bytes).is_none());
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
        for name in [
            "bad-startxref.pdf",
            "bad-xref-offsets.pdf",
            "truncated.pdf",
            "incremental.pdf",
            "objstm.pdf",
            "user-encrypted.pdf",
        ] {
            assert!(
                facts(&std::fs::read(dir.join(name)).unwrap()).is_none(),
                "{name}"
            );
        }
    }

    /// Corrupted bytes never panic: the reader steps aside or answers, and
    /// its answer is the full reader's.
    #[test]
    fn mutated_fixtures_never_panic() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for entry in std::fs::read_dir(dir).unwrap() {
            let original = std::fs::read(entry.unwrap().path()).unwrap();
            if original.is_empty() {
                continue;
            }
            for round in 0..300 {
                let mut bytes = original.clone();
                for _ in 0..1 + round % 4 {
                    let at = next() as usize % bytes.len();
                    bytes[at] = [
                        b'(',
                        b')',
                        b'<',
                        b'>',
                        b'[',
                        b']',
                        b'/',
                        b'0',
                        b' ',
                        b'R',
                        next() as u8,
                    ][next() as usize % 11];
                }
                if round % 7 == 0 {
                    bytes.truncate(next() as usize % bytes.len());
                }
                let _ = facts(&bytes);
                // What the quick reader takes, it reads as the full reader does.
                if let Some(fast) = inspect(&bytes)
                    && let Ok(full) = crate::pdf::read::inspect_full(&bytes)
                {
                    assert_eq!(fast, full, "round {round}");
                }
            }
        }
    }
}
