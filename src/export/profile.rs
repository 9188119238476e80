//! DAT load-file profiles: which names the DAT's columns carry and in what
//! order (`[load_file] profile`), and the bytes the text is written in
//! (`[load_file] encoding`). Every profile carries every adrec column, so no
//! value is lost by choosing one; the production index keeps adrec's names.
//!
//! Field names come from `reference/standards.md` §1.3 and §4: the FTC
//! Bureau of Competition guide (BEGBATES/ENDBATES, PGCOUNT, CUSTODIAN,
//! FILENAME), the DOJ Antitrust Division's Summation list (BEGDOC#, ENDDOC#,
//! DOCID equal to the first Bates number, CUSTDIAN, DOCDATE, PRPRTIES,
//! DOCLINK, and every name at most 8 characters) and the SEC Data Delivery
//! Standards (FIRSTBATES, LASTBATES, FILE_NAME, MD5HASH, LINK, and OCRPATH
//! for the text, which it requires).

use super::row::{DAT_EXTRA_COLUMNS, INDEX_COLUMNS};

/// `[load_file] profile`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    #[default]
    Adrec,
    Ftc,
    Doj,
    Sec,
}

/// `[load_file] encoding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with a byte-order mark (EF BB BF).
    #[default]
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark (FF FE).
    Utf16Le,
    /// Windows-1252 ("ANSI"): one byte per character, no BOM.
    Cp1252,
}

impl Profile {
    pub const NAMES: [&'static str; 4] = ["adrec", "ftc", "doj", "sec"];

    pub fn parse(text: &str) -> Option<Profile> {
        match text {
            "adrec" => Some(Profile::Adrec),
            "ftc" => Some(Profile::Ftc),
            "doj" => Some(Profile::Doj),
            "sec" => Some(Profile::Sec),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Profile::Adrec => "adrec",
            Profile::Ftc => "ftc",
            Profile::Doj => "doj",
            Profile::Sec => "sec",
        }
    }

    /// The DAT's columns under this profile, in order.
    pub fn columns(self) -> Vec<Column> {
        let table: &[(&'static str, Source)] = match self {
            Profile::Adrec => return adrec_columns(),
            Profile::Ftc => FTC,
            Profile::Doj => DOJ,
            Profile::Sec => SEC,
        };
        table
            .iter()
            .map(|(name, source)| Column {
                name,
                source: *source,
            })
            .collect()
    }
}

impl Encoding {
    pub const NAMES: [&'static str; 3] = ["utf-8-bom", "utf-16le", "cp1252"];

    pub fn parse(text: &str) -> Option<Encoding> {
        match text {
            "utf-8-bom" => Some(Encoding::Utf8Bom),
            "utf-16le" => Some(Encoding::Utf16Le),
            "cp1252" => Some(Encoding::Cp1252),
            _ => None,
        }
    }

    /// How the manifest names it.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE with BOM",
            Encoding::Cp1252 => "Windows-1252",
        }
    }

    /// Whether the encoding can hold `c`.
    pub fn holds(self, c: char) -> bool {
        match self {
            Encoding::Utf8Bom | Encoding::Utf16Le => true,
            Encoding::Cp1252 => c.is_ascii() || cp1252_byte(c).is_some(),
        }
    }

    /// The text's bytes, BOM included. `None` when a character cannot be
    /// held (callers check with [`Encoding::holds`] first).
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        let mut out = self.bom().to_vec();
        out.extend(self.encode_body(text)?);
        Some(out)
    }

    /// The byte-order mark a file in this encoding starts with (none for
    /// Windows-1252).
    pub fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8Bom => b"\xEF\xBB\xBF",
            Encoding::Utf16Le => &[0xFF, 0xFE],
            Encoding::Cp1252 => b"",
        }
    }

    /// The text's bytes without a BOM (a part of a file); `None` as for
    /// [`Encoding::encode`].
    pub fn encode_body(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Encoding::Utf8Bom => Some(text.as_bytes().to_vec()),
            Encoding::Utf16Le => {
                let mut out = Vec::with_capacity(text.len() * 2);
                for unit in text.encode_utf16() {
                    out.extend_from_slice(&unit.to_le_bytes());
                }
                Some(out)
            }
            Encoding::Cp1252 => text
                .chars()
                .map(|c| {
                    if c.is_ascii() {
                        Some(c as u8)
                    } else {
                        cp1252_byte(c)
                    }
                })
                .collect(),
        }
    }
}

/// The Windows-1252 byte for a non-ASCII character, if it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    // The WHATWG table maps five unassigned bytes to C1 controls: those are
    // not characters a reader of the DAT expects, so they are refused too.
    (!unmappable && bytes.len() == 1 && !('\u{80}'..='\u{9F}').contains(&c)).then(|| bytes[0])
}

/// One DAT column: the name the profile gives it and where its value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub source: Source,
}

/// Where a profiled column's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The adrec DAT column of that name, value unchanged.
    Adrec(&'static str),
    /// DOJ PRPRTIES: `Produced`, `Redacted`, or `Document Withheld Based On
    /// Privilege` (the Division's own notation) from TREATMENT.
    DojProperties,
    /// DOJ FAMLYRNG: `BEGATTACH - ENDATTACH`, empty outside a family.
    DojFamilyRange,
}

impl Source {
    /// The value from the adrec DAT row (`adrec` holds the values in the
    /// order of [`INDEX_COLUMNS`] then [`DAT_EXTRA_COLUMNS`]).
    pub fn value<'a>(self, adrec: &'a [String]) -> std::borrow::Cow<'a, str> {
        match self {
            Source::Adrec(name) => adrec
                .get(adrec_position(name))
                .map(|v| v.as_str().into())
                .unwrap_or_default(),
            Source::DojFamilyRange => {
                let cell = |name| {
                    adrec
                        .get(adrec_position(name))
                        .map(String::as_str)
                        .unwrap_or_default()
                };
                match (cell("BEGATTACH"), cell("ENDATTACH")) {
                    ("", _) | (_, "") => "".into(),
                    (beg, end) => format!("{beg} - {end}").into(),
                }
            }
            Source::DojProperties => {
                let treatment = adrec
                    .get(adrec_position("TREATMENT"))
                    .map(String::as_str)
                    .unwrap_or_default();
                match treatment {
                    "Withheld" => "Document Withheld Based On Privilege".into(),
                    other => other.to_string().into(),
                }
            }
        }
    }
}

fn adrec_position(name: &str) -> usize {
    INDEX_COLUMNS
        .iter()
        .chain(DAT_EXTRA_COLUMNS.iter())
        .position(|c| *c == name)
        .unwrap_or(usize::MAX)
}

fn adrec_columns() -> Vec<Column> {
    INDEX_COLUMNS
        .iter()
        .chain(DAT_EXTRA_COLUMNS.iter())
        .map(|name| Column {
            name,
            source: Source::Adrec(name),
        })
        .collect()
}

use Source::Adrec as A;

/// FTC: the Bureau's named fields first, then adrec's in adrec's order.
const FTC: &[(&str, Source)] = &[
    ("BEGBATES", A("BEGBATES")),
    ("ENDBATES", A("ENDBATES")),
    ("BEGATTACH", A("BEGATTACH")),
    ("ENDATTACH", A("ENDATTACH")),
    ("PGCOUNT", A("PGCOUNT")),
    ("CUSTODIAN", A("CUSTODIAN")),
    ("FILENAME", A("FILENAME")),
    ("CONTROL_ID", A("CONTROL_ID")),
    ("VOLUME", A("VOLUME")),
    ("CATEGORY", A("CATEGORY")),
    ("TREATMENT", A("TREATMENT")),
    ("CONFIDENTIALITY", A("CONFIDENTIALITY")),
    ("DOC_DATE", A("DOC_DATE")),
    ("DOC_TYPE", A("DOC_TYPE")),
    ("TITLE", A("TITLE")),
    ("AUTHOR", A("AUTHOR")),
    ("RECIPIENTS", A("RECIPIENTS")),
    ("PRODUCED_SHA256", A("PRODUCED_SHA256")),
    ("SOURCE_SHA256", A("SOURCE_SHA256")),
    ("SOURCE_MD5", A("SOURCE_MD5")),
    ("DUPLICATES", A("DUPLICATES")),
    ("PARENT_BATES", A("PARENT_BATES")),
    ("ATTACH_BATES", A("ATTACH_BATES")),
    ("NATIVELINK", A("NATIVELINK")),
    ("IMAGELINK", A("IMAGELINK")),
    ("TEXTLINK", A("TEXTLINK")),
];

/// DOJ Antitrust Division (Summation): every name at most 8 characters;
/// DOCID is the first Bates number, as the Division requires; adrec's own
/// control number follows as CTRLNUM.
const DOJ: &[(&str, Source)] = &[
    ("BEGDOC#", A("BEGBATES")),
    ("ENDDOC#", A("ENDBATES")),
    ("DOCID", A("BEGBATES")),
    ("PGCOUNT", A("PGCOUNT")),
    ("PARENTID", A("PARENT_BATES")),
    ("ATTCHIDS", A("ATTACH_BATES")),
    ("FAMLYRNG", Source::DojFamilyRange),
    ("CUSTDIAN", A("CUSTODIAN")),
    ("DOCDATE", A("DOC_DATE")),
    ("DOCTYPE", A("DOC_TYPE")),
    ("TITLE", A("TITLE")),
    ("AUTHOR", A("AUTHOR")),
    ("RECIPNTS", A("RECIPIENTS")),
    ("FILENAME", A("FILENAME")),
    ("PRPRTIES", Source::DojProperties),
    ("CATEGORY", A("CATEGORY")),
    ("CONFDNTL", A("CONFIDENTIALITY")),
    ("VOLUME", A("VOLUME")),
    ("CTRLNUM", A("CONTROL_ID")),
    ("DUPLICTS", A("DUPLICATES")),
    ("PRODHASH", A("PRODUCED_SHA256")),
    ("SRCHASH", A("SOURCE_SHA256")),
    ("MD5HASH", A("SOURCE_MD5")),
    ("DOCLINK", A("NATIVELINK")),
    ("PDFPATH", A("IMAGELINK")),
    ("TEXTLINK", A("TEXTLINK")),
];

/// SEC Division of Enforcement: its named fields first (lowercase MD5HASH,
/// LINK for the native), then adrec's in adrec's order.
const SEC: &[(&str, Source)] = &[
    ("FIRSTBATES", A("BEGBATES")),
    ("LASTBATES", A("ENDBATES")),
    ("BEGATTACH", A("BEGATTACH")),
    ("ENDATTACH", A("ENDATTACH")),
    ("PARENT_BATES", A("PARENT_BATES")),
    ("CHILD_BATES", A("ATTACH_BATES")),
    ("PGCOUNT", A("PGCOUNT")),
    ("CUSTODIAN", A("CUSTODIAN")),
    ("AUTHOR", A("AUTHOR")),
    ("FILE_NAME", A("FILENAME")),
    ("MD5HASH", A("SOURCE_MD5")),
    ("LINK", A("NATIVELINK")),
    ("IMAGELINK", A("IMAGELINK")),
    ("OCRPATH", A("TEXTLINK")),
    ("CONTROL_ID", A("CONTROL_ID")),
    ("VOLUME", A("VOLUME")),
    ("CATEGORY", A("CATEGORY")),
    ("TREATMENT", A("TREATMENT")),
    ("CONFIDENTIALITY", A("CONFIDENTIALITY")),
    ("DOC_DATE", A("DOC_DATE")),
    ("DOC_TYPE", A("DOC_TYPE")),
    ("TITLE", A("TITLE")),
    ("RECIPIENTS", A("RECIPIENTS")),
    ("PRODUCED_SHA256", A("PRODUCED_SHA256")),
    ("SOURCE_SHA256", A("SOURCE_SHA256")),
    ("DUPLICATES", A("DUPLICATES")),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every profile carries every adrec column exactly once (DOJ's DOCID
    /// repeats BEGBATES by design), and names no column twice.
    #[test]
    fn every_profile_keeps_every_value_and_names_are_unique() {
        let adrec: Vec<&str> = INDEX_COLUMNS
            .iter()
            .chain(DAT_EXTRA_COLUMNS.iter())
            .copied()
            .collect();
        for name in Profile::NAMES {
            let profile = Profile::parse(name).unwrap();
            let columns = profile.columns();
            let mut names: Vec<&str> = columns.iter().map(|c| c.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), columns.len(), "{name}: a name repeats");
            for source in &adrec {
                let hits = columns
                    .iter()
                    .filter(|c| c.source == Source::Adrec(source))
                    .count();
                let treatment_elsewhere = *source == "TREATMENT" && profile == Profile::Doj;
                let expected = match (profile, *source) {
                    (Profile::Doj, "BEGBATES") => 2,
                    // Both in FAMLYRNG, the Division's one family field.
                    (Profile::Doj, "BEGATTACH" | "ENDATTACH") => 0,
                    _ if treatment_elsewhere => 0,
                    _ => 1,
                };
                assert_eq!(hits, expected, "{name}: {source}");
            }
            if profile == Profile::Doj {
                assert!(columns.iter().all(|c| c.name.len() <= 8));
            }
        }
    }

    #[test]
    fn cp1252_holds_its_own_repertoire_only() {
        for c in ['A', 'é', '€', '™', 'þ', '®', '\u{14}', '–'] {
            assert!(Encoding::Cp1252.holds(c), "{c:?}");
        }
        for c in ['Ω', 'ệ', '中', '\u{2028}', '\u{81}', '😀'] {
            assert!(!Encoding::Cp1252.holds(c), "{c:?}");
        }
        assert_eq!(
            Encoding::Cp1252.encode("þ€é").unwrap(),
            vec![0xFE, 0x80, 0xE9]
        );
        assert_eq!(Encoding::Cp1252.encode("Ω"), None);
    }

    #[test]
    fn utf16_has_a_little_endian_bom() {
        assert_eq!(
            Encoding::Utf16Le.encode("þ").unwrap(),
            vec![0xFF, 0xFE, 0xFE, 0x00]
        );
    }
}
