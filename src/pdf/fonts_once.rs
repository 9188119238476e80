//! A font embedded once per file. A clawback's replacement is built in
//! steps (a slip sheet, then its padding pages, then the stamp), and each
//! step adds the volume's font objects to the file; so can a source PDF that
//! carries the same font twice. Font objects that are the same object for
//! object (font programs, ToUnicode maps, descriptors, fonts) are merged
//! before the file is written: identical objects draw identically, so only
//! the file's size changes.

use lopdf::{Document, Object, ObjectId};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Merges repeated font objects of `doc`, keeping the lowest-numbered copy.
pub(super) fn merge_repeated_fonts(doc: &mut Document) {
    if !any_repeated_base_font(doc) {
        return;
    }
    // Programs and maps merge first; then the descriptors that now point at
    // the same program are equal, then the fonts that use them.
    loop {
        let mut first: HashMap<Vec<u8>, ObjectId> = HashMap::new();
        let mut replace: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
        for id in font_objects(doc) {
            let Some(object) = doc.objects.get(&id) else {
                continue;
            };
            let mut key = Vec::new();
            if !canonical(object, &mut key, 0) {
                continue;
            }
            match first.get(&key) {
                Some(kept) => {
                    replace.insert(id, *kept);
                }
                None => {
                    first.insert(key, id);
                }
            }
        }
        if replace.is_empty() {
            return;
        }
        for object in doc.objects.values_mut() {
            redirect(object, &replace);
        }
        for (_, value) in doc.trailer.iter_mut() {
            redirect(value, &replace);
        }
        for id in replace.keys() {
            doc.objects.remove(id);
        }
    }
}

/// Whether two font dictionaries name the same font (else nothing can merge
/// into one font, and nothing is hashed).
fn any_repeated_base_font(doc: &Document) -> bool {
    let mut seen = BTreeSet::new();
    doc.objects.values().any(|o| {
        let Some(dict) = dict_of(o) else { return false };
        is_type(dict, b"Font")
            && dict
                .get(b"BaseFont")
                .and_then(Object::as_name)
                .is_ok_and(|name| !seen.insert(name.to_vec()))
    })
}

/// Fonts, descriptors, and the programs and ToUnicode maps they point at.
fn font_objects(doc: &Document) -> BTreeSet<ObjectId> {
    let mut ids = BTreeSet::new();
    for (id, object) in &doc.objects {
        let Some(dict) = dict_of(object) else {
            continue;
        };
        let pointed: &[&[u8]] = if is_type(dict, b"Font") {
            &[b"ToUnicode"]
        } else if is_type(dict, b"FontDescriptor") {
            &[b"FontFile", b"FontFile2", b"FontFile3"]
        } else {
            continue;
        };
        ids.insert(*id);
        for key in pointed {
            if let Ok(target) = dict.get(key).and_then(Object::as_reference) {
                ids.insert(target);
            }
        }
    }
    ids
}

fn dict_of(object: &Object) -> Option<&lopdf::Dictionary> {
    match object {
        Object::Dictionary(dict) | Object::Stream(lopdf::Stream { dict, .. }) => Some(dict),
        _ => None,
    }
}

fn is_type(dict: &lopdf::Dictionary, kind: &[u8]) -> bool {
    dict.get(b"Type")
        .and_then(Object::as_name)
        .is_ok_and(|t| t == kind)
}

/// Deeper nesting than any font object has: such an object is not merged.
const MAX_DEPTH: usize = 32;

/// Writes `object` as bytes that are equal exactly when the objects are:
/// keys in sorted order, each value tagged with its kind. False (and not
/// to be compared) when it nests deeper than [`MAX_DEPTH`].
fn canonical(object: &Object, out: &mut Vec<u8>, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let bytes = |out: &mut Vec<u8>, tag: u8, b: &[u8]| {
        out.push(tag);
        out.extend((b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    };
    match object {
        Object::Null => out.push(b'n'),
        Object::Boolean(b) => out.extend([b'b', u8::from(*b)]),
        Object::Integer(i) => {
            out.push(b'i');
            out.extend(i.to_le_bytes());
        }
        Object::Real(r) => {
            out.push(b'r');
            out.extend(r.to_bits().to_le_bytes());
        }
        Object::Name(n) => bytes(out, b'/', n),
        Object::String(s, _) => bytes(out, b's', s),
        Object::Reference((n, g)) => {
            out.push(b'R');
            out.extend(n.to_le_bytes());
            out.extend(g.to_le_bytes());
        }
        Object::Array(items) => {
            out.push(b'[');
            out.extend((items.len() as u64).to_le_bytes());
            return items.iter().all(|item| canonical(item, out, depth + 1));
        }
        Object::Dictionary(dict) => return canonical_dict(dict, out, depth),
        Object::Stream(stream) => {
            out.push(b'S');
            if !canonical_dict(&stream.dict, out, depth) {
                return false;
            }
            bytes(out, b'c', &stream.content);
        }
    }
    true
}

fn canonical_dict(dict: &lopdf::Dictionary, out: &mut Vec<u8>, depth: usize) -> bool {
    let mut entries: Vec<(&Vec<u8>, &Object)> = dict.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    out.push(b'<');
    out.extend((entries.len() as u64).to_le_bytes());
    entries.into_iter().all(|(key, value)| {
        out.extend((key.len() as u64).to_le_bytes());
        out.extend_from_slice(key);
        canonical(value, out, depth + 1)
    })
}

/// Points every reference to a merged object at the copy kept, however deep
/// (lopdf's parser bounds how deep a file's objects nest): a reference left
/// behind would point at a removed object.
fn redirect(object: &mut Object, replace: &BTreeMap<ObjectId, ObjectId>) {
    match object {
        Object::Reference(id) => {
            if let Some(kept) = replace.get(id) {
                *id = *kept;
            }
        }
        Object::Array(items) => {
            for item in items {
                redirect(item, replace);
            }
        }
        Object::Dictionary(dict) | Object::Stream(lopdf::Stream { dict, .. }) => {
            for (_, value) in dict.iter_mut() {
                redirect(value, replace);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Stream};

    /// A Type0-like chain: program ← descriptor ← font, added `n` times.
    fn with_fonts(n: usize) -> (Document, Vec<ObjectId>) {
        let mut doc = Document::with_version("1.7");
        let mut fonts = Vec::new();
        for _ in 0..n {
            let program = doc.add_object(Stream::new(
                Dictionary::from_iter([("Length1", Object::Integer(4))]),
                b"glyf".to_vec(),
            ));
            let descriptor = doc.add_object(Dictionary::from_iter([
                ("Type", Object::Name(b"FontDescriptor".to_vec())),
                ("FontFile2", Object::Reference(program)),
            ]));
            // Keys in another order in every other copy: still the same object.
            let mut font = Dictionary::new();
            if fonts.len() % 2 == 0 {
                font.set("Type", Object::Name(b"Font".to_vec()));
                font.set("BaseFont", Object::Name(b"ABCDEF+DejaVuSans".to_vec()));
            } else {
                font.set("BaseFont", Object::Name(b"ABCDEF+DejaVuSans".to_vec()));
                font.set("Type", Object::Name(b"Font".to_vec()));
            }
            font.set("FontDescriptor", Object::Reference(descriptor));
            fonts.push(doc.add_object(font));
        }
        let resources = Dictionary::from_iter(
            fonts
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("F{i}"), Object::Reference(*f))),
        );
        doc.add_object(resources);
        (doc, fonts)
    }

    fn count(doc: &Document, kind: &[u8]) -> usize {
        doc.objects
            .values()
            .filter_map(dict_of)
            .filter(|d| is_type(d, kind))
            .count()
    }

    #[test]
    fn three_copies_of_a_font_become_one_and_every_use_points_at_it() {
        let (mut doc, fonts) = with_fonts(3);
        merge_repeated_fonts(&mut doc);
        assert_eq!(count(&doc, b"Font"), 1);
        assert_eq!(count(&doc, b"FontDescriptor"), 1);
        let programs = doc
            .objects
            .values()
            .filter(|o| o.as_stream().is_ok_and(|s| s.dict.has(b"Length1")))
            .count();
        assert_eq!(programs, 1);
        let resources = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .find(|d| d.has(b"F0"))
            .unwrap();
        for i in 0..3 {
            let r = resources.get(format!("F{i}").as_bytes()).unwrap();
            assert_eq!(r.as_reference().unwrap(), fonts[0]);
        }
    }

    #[test]
    fn different_programs_under_one_name_stay_apart() {
        let (mut doc, _) = with_fonts(2);
        let last_program = doc
            .objects
            .iter()
            .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.has(b"Length1")))
            .map(|(id, _)| *id)
            .max()
            .unwrap();
        doc.get_object_mut(last_program)
            .unwrap()
            .as_stream_mut()
            .unwrap()
            .set_content(b"GLYF".to_vec());
        merge_repeated_fonts(&mut doc);
        assert_eq!(count(&doc, b"Font"), 2);
        assert_eq!(count(&doc, b"FontDescriptor"), 2);
    }
}
