//! What an embedded face does not need. A subset keeps the font's hinting
//! (TrueType instructions and the `fpgm`, `prep` and `cvt ` programs) and
//! its `name` records up to the licence text; PDF viewers draw stamps and
//! slip sheets from the outlines alone, and a slip sheet's font was two
//! thirds of its bytes. Dropped here, as HarfBuzz's and fontTools'
//! subsetters do with their defaults for names (IDs 0-6: copyright, family,
//! style, unique name, full name, version, PostScript name) and with
//! `--no-hinting` for instructions. Outlines, metrics and glyph IDs are
//! unchanged, so the text draws and extracts exactly as before.

use write_fonts::FontBuilder;
use write_fonts::from_obj::ToOwnedTable;
use write_fonts::read::tables::glyf::Glyph as ReadGlyph;
use write_fonts::read::{FontRef, TableProvider};
use write_fonts::tables::glyf::{CompositeGlyph, GlyfLocaBuilder, Glyph, SimpleGlyph};
use write_fonts::tables::head::Head;
use write_fonts::tables::loca::LocaFormat;
use write_fonts::tables::maxp::Maxp;
use write_fonts::tables::name::Name;
use write_fonts::types::{GlyphId, Tag};

/// The last name ID an embedded face keeps (0-6: copyright through PostScript name).
const LAST_KEPT_NAME_ID: u16 = 6;

/// Tables that only hint (instructions' programs and their device tables).
const HINTING: [&[u8; 4]; 6] = [b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX"];

/// The subset without hinting and without name records past ID 6. A font
/// this cannot rewrite is returned as it is (larger, still correct).
pub(crate) fn slim(subset: Vec<u8>) -> Vec<u8> {
    match slimmed(&subset) {
        Ok(smaller) => smaller,
        Err(_) => subset,
    }
}

fn slimmed(subset: &[u8]) -> Result<Vec<u8>, String> {
    let font = FontRef::new(subset).map_err(|e| e.to_string())?;
    let mut builder = FontBuilder::new();
    let name = font.name().map_err(|e| e.to_string())?;
    let mut name: Name = name.to_owned_table();
    name.name_record
        .retain(|r| r.name_id.to_u16() <= LAST_KEPT_NAME_ID);
    builder.add_table(&name).map_err(|e| e.to_string())?;
    let truetype = font.table_data(Tag::new(b"glyf")).is_some();
    if truetype {
        let (glyf, loca, format) = without_instructions(&font)?;
        builder.add_table(&glyf).map_err(|e| e.to_string())?;
        builder.add_table(&loca).map_err(|e| e.to_string())?;
        let mut head: Head = font.head().map_err(|e| e.to_string())?.to_owned_table();
        head.index_to_loc_format = match format {
            LocaFormat::Short => 0,
            LocaFormat::Long => 1,
        };
        builder.add_table(&head).map_err(|e| e.to_string())?;
        let mut maxp: Maxp = font.maxp().map_err(|e| e.to_string())?.to_owned_table();
        if maxp.max_zones.is_some() {
            maxp.max_zones = Some(1);
            maxp.max_twilight_points = Some(0);
            maxp.max_storage = Some(0);
            maxp.max_function_defs = Some(0);
            maxp.max_instruction_defs = Some(0);
            maxp.max_stack_elements = Some(0);
            maxp.max_size_of_instructions = Some(0);
        }
        builder.add_table(&maxp).map_err(|e| e.to_string())?;
    }
    for record in font.table_directory().table_records() {
        let tag = record.tag();
        if truetype && HINTING.iter().any(|h| Tag::new(h) == tag) {
            continue;
        }
        if !builder.contains(tag)
            && let Some(data) = font.table_data(tag)
        {
            builder.add_raw(tag, data.as_bytes());
        }
    }
    Ok(builder.build())
}

/// `glyf` and `loca` again, each glyph as it was but without instructions.
fn without_instructions(
    font: &FontRef<'_>,
) -> Result<
    (
        write_fonts::tables::glyf::Glyf,
        write_fonts::tables::loca::Loca,
        LocaFormat,
    ),
    String,
> {
    let glyf = font.glyf().map_err(|e| e.to_string())?;
    let loca = font.loca(None).map_err(|e| e.to_string())?;
    let count = font.maxp().map_err(|e| e.to_string())?.num_glyphs();
    let mut builder = GlyfLocaBuilder::new();
    for gid in 0..count {
        let glyph = match loca
            .get_glyf(GlyphId::new(u32::from(gid)), &glyf)
            .map_err(|e| format!("glyph {gid}: {e}"))?
        {
            None => Glyph::Empty,
            Some(ReadGlyph::Simple(g)) => {
                let mut g: SimpleGlyph = g.to_owned_table();
                g.instructions.clear();
                Glyph::Simple(g)
            }
            Some(ReadGlyph::Composite(g)) => {
                let owned: CompositeGlyph = g.to_owned_table();
                let mut parts = owned.components().iter().cloned();
                let first = parts
                    .next()
                    .ok_or_else(|| format!("glyph {gid}: a composite without components"))?;
                let mut bare = CompositeGlyph::new(first, owned.bbox);
                for part in parts {
                    bare.add_component(part, owned.bbox);
                }
                Glyph::Composite(bare)
            }
        };
        builder
            .add_glyph(&glyph)
            .map_err(|e| format!("glyph {gid}: {e}"))?;
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Vec<u8> {
        crate::pdf::font::BUNDLED.to_vec()
    }

    #[test]
    fn drops_hinting_and_licence_but_keeps_outlines_and_metrics() {
        let full = bundled();
        // Plain letters, and accented ones (composite glyphs in DejaVu).
        let face = ttf_parser::Face::parse(&full, 0).expect("the bundled font");
        let mut gids: Vec<u16> = std::iter::once(0)
            .chain(
                "AbgÉéüЖ–"
                    .chars()
                    .filter_map(|c| face.glyph_index(c))
                    .map(|g| g.0),
            )
            .collect();
        gids.sort_unstable();
        gids.dedup();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
        let subset = subsetter::subset(&full, 0, &remapper).expect("subset");
        let slim = slim(subset.clone());
        assert!(
            slim.len() < subset.len() / 2,
            "{} vs {}",
            slim.len(),
            subset.len()
        );
        let before = FontRef::new(&subset).expect("subset reads");
        let after = FontRef::new(&slim).expect("slim font reads");
        for tag in HINTING {
            assert!(after.table_data(Tag::new(tag)).is_none());
        }
        assert!(
            after
                .name()
                .expect("name")
                .name_record()
                .iter()
                .all(|r| r.name_id().to_u16() <= 6)
        );
        assert_eq!(
            after.hmtx().expect("hmtx").offset_data().as_bytes(),
            before.hmtx().expect("hmtx").offset_data().as_bytes()
        );
        // The same outlines, as ttf-parser reads them.
        let (a, b) = (
            ttf_parser::Face::parse(&subset, 0).expect("parse"),
            ttf_parser::Face::parse(&slim, 0).expect("parse"),
        );
        assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
        for gid in 0..a.number_of_glyphs() {
            let (mut pa, mut pb) = (Path::default(), Path::default());
            let ba = a.outline_glyph(ttf_parser::GlyphId(gid), &mut pa);
            let bb = b.outline_glyph(ttf_parser::GlyphId(gid), &mut pb);
            assert_eq!(ba, bb, "glyph {gid} bounds");
            assert_eq!(pa.0, pb.0, "glyph {gid} outline");
        }
    }

    #[test]
    fn a_font_it_cannot_read_is_returned_as_it_is() {
        assert_eq!(slim(b"not a font".to_vec()), b"not a font".to_vec());
    }

    /// An outline as a list of drawing commands.
    #[derive(Default)]
    struct Path(Vec<String>);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x},{y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x},{y}"));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(format!("Q{x1},{y1},{x},{y}"));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(format!("C{x1},{y1},{x2},{y2},{x},{y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }
}
