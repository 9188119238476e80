//! What a rewritten PDF must not carry although its pages reach it: actions
//! that run (JavaScript, launching a program, submitting a form, opening an
//! embedded file), a form's scripts, and the XMP metadata and private
//! application data an image or form XObject can hold. The rewrite keeps
//! every object a page needs; these are taken out of them.

use lopdf::{Document, Object, ObjectId};
use std::collections::HashSet;

/// Actions a kept link may take: to a page, a web address, another file,
/// or a viewer's named page action. A chain holding any other is removed.
const SAFE_ACTIONS: [&[u8]; 4] = [b"URI", b"GoTo", b"GoToR", b"Named"];

/// Actions followed along one chain (`/Next`) before it counts as unsafe.
const MAX_CHAIN: usize = 64;

/// Whether every action of the chain starting at `action` (its `/Next`
/// entries followed, direct or by reference) is one a link may keep.
fn safe_action(doc: &Document, action: &Object) -> bool {
    let mut todo = vec![action];
    let mut seen = 0;
    while let Some(o) = todo.pop() {
        seen += 1;
        if seen > MAX_CHAIN {
            return false;
        }
        let Ok((_, o)) = doc.dereference(o) else {
            return false;
        };
        let Ok(d) = o.as_dict() else {
            return false;
        };
        let kind = d.get(b"S").and_then(Object::as_name);
        if !kind.is_ok_and(|s| SAFE_ACTIONS.contains(&s)) {
            return false;
        }
        match d.get(b"Next") {
            Ok(Object::Array(next)) => todo.extend(next.iter()),
            Ok(next) => todo.push(next),
            Err(_) => {}
        }
    }
    true
}

/// Links stay with their safe actions; every other action of an
/// annotation, and every annotation's additional actions (`/AA`), go,
/// whether the annotation is an object of its own or written in the array.
pub(super) fn annotation_actions(doc: &mut Document, page: ObjectId) {
    let (annots, array_id) = {
        let Ok(dict) = doc.get_dictionary(page) else {
            return;
        };
        match dict.get(b"Annots") {
            Ok(Object::Reference(id)) => match doc.get_object(*id) {
                Ok(Object::Array(a)) => (a.clone(), Some(*id)),
                _ => return,
            },
            Ok(Object::Array(a)) => (a.clone(), None),
            _ => return,
        }
    };
    let mut inline = false;
    let mut kept = Vec::with_capacity(annots.len());
    for entry in annots {
        match entry {
            Object::Reference(id) => {
                let unsafe_action = doc
                    .get_dictionary(id)
                    .ok()
                    .and_then(|a| a.get(b"A").ok())
                    .is_some_and(|a| !safe_action(doc, a));
                if let Ok(annot) = doc.get_dictionary_mut(id) {
                    annot.remove(b"AA");
                    if unsafe_action {
                        annot.remove(b"A");
                    }
                }
                kept.push(Object::Reference(id));
            }
            Object::Dictionary(mut annot) => {
                annot.remove(b"AA");
                if annot.get(b"A").is_ok_and(|a| !safe_action(doc, a)) {
                    annot.remove(b"A");
                }
                kept.push(Object::Dictionary(annot));
                inline = true;
            }
            other => kept.push(other),
        }
    }
    if !inline {
        return;
    }
    match array_id {
        Some(id) => {
            doc.objects.insert(id, Object::Array(kept));
        }
        None => {
            if let Ok(dict) = doc.get_dictionary_mut(page) {
                dict.set("Annots", Object::Array(kept));
            }
        }
    }
}

/// A kept form (confirmed with `--hidden-reviewed`) keeps its fields and
/// their appearances, not its scripts: the XFA packets and every field's
/// additional actions (calculate, format, validate, keystroke) go.
pub(super) fn form_scripts(doc: &mut Document, catalog: ObjectId) {
    let form_id = match doc.get_dictionary(catalog).and_then(|c| c.get(b"AcroForm")) {
        Ok(Object::Reference(id)) => Some(*id),
        Ok(Object::Dictionary(_)) => None,
        _ => return,
    };
    let form = match form_id {
        Some(id) => doc.get_dictionary_mut(id).ok(),
        None => doc
            .get_dictionary_mut(catalog)
            .ok()
            .and_then(|c| c.get_mut(b"AcroForm").ok())
            .and_then(|f| f.as_dict_mut().ok()),
    };
    let Some(form) = form else {
        return;
    };
    form.remove(b"XFA");
    form.remove(b"AA");
    let mut todo: Vec<ObjectId> = form
        .get(b"Fields")
        .and_then(Object::as_array)
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    let mut seen = HashSet::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Ok(field) = doc.get_dictionary_mut(id) else {
            continue;
        };
        field.remove(b"AA");
        let kids: Vec<ObjectId> = field
            .get(b"Kids")
            .and_then(Object::as_array)
            .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
            .unwrap_or_default();
        todo.extend(kids);
    }
}

/// Image and form XObjects keep what draws them, not their XMP metadata
/// (`/Metadata`: creator, history, authors) or an application's private
/// data (`/PieceInfo`); the streams they pointed at are pruned with the
/// rest of what nothing reaches.
pub(super) fn xobject_metadata(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|s| s == b"Image" || s == b"Form")
        {
            stream.dict.remove(b"Metadata");
            stream.dict.remove(b"PieceInfo");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Stream, dictionary};

    fn action(kind: &str) -> Dictionary {
        dictionary! { "S" => Object::Name(kind.as_bytes().to_vec()) }
    }

    /// A page with a link whose action is `a` (by reference when
    /// `indirect`), and the link written in the array when `inline`.
    fn page_with_link(doc: &mut Document, a: Object, inline: bool) -> ObjectId {
        let link = dictionary! { "Type" => "Annot", "Subtype" => "Link", "A" => a,
        "AA" => dictionary! { "E" => action("JavaScript") } };
        let entry = if inline {
            Object::Dictionary(link)
        } else {
            Object::Reference(doc.add_object(link))
        };
        doc.add_object(dictionary! { "Type" => "Page", "Annots" => vec![entry] })
    }

    fn link_of(doc: &Document, page: ObjectId) -> Dictionary {
        let annots = doc
            .get_dictionary(page)
            .unwrap()
            .get(b"Annots")
            .unwrap()
            .as_array()
            .unwrap();
        match &annots[0] {
            Object::Reference(id) => doc.get_dictionary(*id).unwrap().clone(),
            Object::Dictionary(d) => d.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_link_keeps_a_safe_action_and_loses_any_chain_that_runs_something() {
        let mut doc = Document::with_version("1.7");
        let mut uri = action("URI");
        uri.set("URI", Object::string_literal("https://example.gov"));
        let cases: Vec<(Object, bool, bool)> = vec![
            (Object::Dictionary(uri.clone()), false, true),
            (Object::Dictionary(uri.clone()), true, true),
            (Object::Dictionary(action("JavaScript")), false, false),
            (Object::Dictionary(action("JavaScript")), true, false),
            (
                Object::Reference(doc.add_object(action("JavaScript"))),
                false,
                false,
            ),
            (
                Object::Reference(doc.add_object(action("Launch"))),
                true,
                false,
            ),
            (Object::Reference(doc.add_object(uri.clone())), false, true),
        ];
        // A safe action whose chain goes on to a script.
        let mut chained = uri.clone();
        chained.set(
            "Next",
            Object::Reference(doc.add_object(action("JavaScript"))),
        );
        let mut chained_array = uri.clone();
        chained_array.set(
            "Next",
            vec![
                Object::Dictionary(action("GoTo")),
                Object::Dictionary(action("SubmitForm")),
            ],
        );
        let cases = cases.into_iter().chain([
            (Object::Dictionary(chained), false, false),
            (Object::Dictionary(chained_array), true, false),
        ]);
        for (i, (a, inline, kept)) in cases.enumerate() {
            let page = page_with_link(&mut doc, a, inline);
            annotation_actions(&mut doc, page);
            let link = link_of(&doc, page);
            assert!(link.get(b"AA").is_err(), "case {i}: /AA always goes");
            assert_eq!(link.get(b"A").is_ok(), kept, "case {i}");
        }
    }

    #[test]
    fn a_form_keeps_its_fields_but_not_their_scripts_or_its_xfa() {
        let mut doc = Document::with_version("1.7");
        let js = Object::Dictionary(dictionary! { "C" => action("JavaScript") });
        let kid = doc
            .add_object(dictionary! { "T" => Object::string_literal("kid"), "AA" => js.clone() });
        let field = doc.add_object(
            dictionary! { "T" => Object::string_literal("f"), "AA" => js.clone(), "Kids" => vec![kid.into()] },
        );
        let xfa = doc.add_object(Stream::new(Dictionary::new(), b"<script/>".to_vec()));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog",
        "AcroForm" => dictionary! { "Fields" => vec![field.into()], "XFA" => xfa } });
        form_scripts(&mut doc, catalog);
        let form = doc
            .get_dictionary(catalog)
            .unwrap()
            .get(b"AcroForm")
            .unwrap()
            .as_dict()
            .unwrap();
        assert!(form.get(b"XFA").is_err());
        assert!(form.get(b"Fields").is_ok());
        for id in [field, kid] {
            let d = doc.get_dictionary(id).unwrap();
            assert!(d.get(b"AA").is_err());
            assert!(d.get(b"T").is_ok());
        }
    }

    #[test]
    fn xobjects_lose_their_metadata_and_private_data_and_nothing_else() {
        let mut doc = Document::with_version("1.7");
        let xmp = doc.add_object(Stream::new(Dictionary::new(), b"<x:xmpmeta/>".to_vec()));
        let image = doc.add_object(Stream::new(
            dictionary! { "Subtype" => "Image", "Width" => 1, "Metadata" => xmp, "PieceInfo" => Dictionary::new() },
            vec![0],
        ));
        let other = doc.add_object(Stream::new(dictionary! { "Metadata" => xmp }, vec![]));
        xobject_metadata(&mut doc);
        let image = &doc.get_object(image).unwrap().as_stream().unwrap().dict;
        assert!(image.get(b"Metadata").is_err() && image.get(b"PieceInfo").is_err());
        assert!(image.get(b"Width").is_ok());
        // Not an XObject (a catalog's own metadata is dropped with the catalog).
        let other = &doc.get_object(other).unwrap().as_stream().unwrap().dict;
        assert!(other.get(b"Metadata").is_ok());
    }
}
