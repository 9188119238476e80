//! What a load file given on the command line really is, judged by its
//! content (never its extension): a TIFF, a PDF, a JSON manifest or an index
//! given as `--opt`, `--index` or `--privlog` is an input error naming what
//! it looks like, before anything is read as if it were of that kind.

use super::text;

/// What a file looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Looks {
    Empty,
    Tiff,
    Pdf,
    Png,
    Jpeg,
    Gif,
    Json,
    Html,
    /// EDRM XML (a `<Root>` with `<Batch>`/`<Document>` elements).
    EdrmXml,
    Xml,
    Xlsx,
    Ods,
    /// An OLE compound file: XLS (or an old Word/PowerPoint file).
    Ole,
    /// An Office document that is not a spreadsheet (DOCX, PPTX).
    OfficeDocument,
    Zip,
    /// Some other binary content (`infer`'s description, if any).
    Binary(Option<&'static str>),
    Opt,
    Lfp,
    Dii,
    Dat,
    Sums,
    /// Delimited text with a header: CSV, TSV, pipe-delimited.
    Table,
}

impl Looks {
    /// `a TIFF image`, `a JSON file`, … for messages.
    pub fn describe(self) -> String {
        match self {
            Looks::Empty => "an empty file".into(),
            Looks::Tiff => "a TIFF image".into(),
            Looks::Pdf => "a PDF document".into(),
            Looks::Png => "a PNG image".into(),
            Looks::Jpeg => "a JPEG image".into(),
            Looks::Gif => "a GIF image".into(),
            Looks::Json => "a JSON file (a manifest?)".into(),
            Looks::Html => "an HTML page".into(),
            Looks::EdrmXml => "an EDRM XML index".into(),
            Looks::Xml => "an XML file".into(),
            Looks::Xlsx => "an XLSX spreadsheet".into(),
            Looks::Ods => "an ODS spreadsheet".into(),
            Looks::Ole => "an XLS spreadsheet (OLE compound file)".into(),
            Looks::OfficeDocument => "a Word or PowerPoint document".into(),
            Looks::Zip => "a ZIP archive".into(),
            Looks::Binary(Some(mime)) => format!("binary data ({mime})"),
            Looks::Binary(None) => "binary data".into(),
            Looks::Opt => "an Opticon OPT image cross-reference".into(),
            Looks::Lfp => "an IPRO LFP image cross-reference".into(),
            Looks::Dii => "a Summation DII image cross-reference".into(),
            Looks::Dat => "a Concordance DAT index".into(),
            Looks::Sums => "a checksum list (SHA256SUMS/MD5SUMS)".into(),
            Looks::Table => "a delimited table (CSV, TSV or pipe-delimited)".into(),
        }
    }

    /// An index-like table: an index or a privilege log may be one.
    pub fn is_table(self) -> bool {
        matches!(
            self,
            Looks::Dat | Looks::Table | Looks::Xlsx | Looks::Ods | Looks::Ole
        )
    }

    /// An image cross-reference (OPT, LFP or DII).
    pub fn is_image_xref(self) -> bool {
        matches!(self, Looks::Opt | Looks::Lfp | Looks::Dii)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Sniffs a file from its first bytes (64 KiB is plenty).
pub fn sniff(head: &[u8]) -> Looks {
    let b = head;
    if b.iter().all(u8::is_ascii_whitespace) {
        return Looks::Empty;
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") || b.starts_with(b"II+\0") {
        return Looks::Tiff;
    }
    if b.starts_with(b"%PDF") || find(&b[..b.len().min(1024)], b"%PDF-") {
        return Looks::Pdf;
    }
    if b.starts_with(b"\x89PNG") {
        return Looks::Png;
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Looks::Jpeg;
    }
    if b.starts_with(b"GIF8") {
        return Looks::Gif;
    }
    if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Looks::Ole;
    }
    if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        if find(b, b"application/vnd.oasis.opendocument.spreadsheet") {
            return Looks::Ods;
        }
        if find(b, b"xl/") {
            return Looks::Xlsx;
        }
        if find(b, b"word/") || find(b, b"ppt/") {
            return Looks::OfficeDocument;
        }
        return Looks::Zip;
    }
    let utf16 = b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]);
    if !utf16 && b.contains(&0) {
        return Looks::Binary(infer::get(b).map(|t| t.mime_type()));
    }
    sniff_text(&text::decode(b).text)
}

fn sniff_text(text: &str) -> Looks {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = body.chars().take(2048).collect::<String>().to_lowercase();
    // `{…}`, or `[` then a JSON value (not a TOML table like `[matter]`).
    let array = body.strip_prefix('[').is_some_and(|rest| {
        rest.trim_start().starts_with([
            '{', '[', '"', ']', '-', 't', 'f', 'n', '0', '1', '2', '3', '4', '5', '6', '7', '8',
            '9',
        ]) && !rest.trim_start().starts_with("[[")
    });
    if body.starts_with('{') || array {
        return Looks::Json;
    }
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Looks::Html;
    }
    if body.starts_with('<') {
        let edrm = lower.contains("<root") && (lower.contains("<batch") || lower.contains("edrm"));
        return if edrm { Looks::EdrmXml } else { Looks::Xml };
    }
    if body.contains('\u{fe}') || body.contains('\u{14}') {
        return Looks::Dat;
    }
    let lines: Vec<&str> = super::text::lines(body)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(50)
        .collect();
    let count = |f: &dyn Fn(&str) -> bool| lines.iter().filter(|l| f(l)).count();
    let most = |n: usize| n * 2 > lines.len();
    let lfp = count(&|l| {
        let code = l.get(..3).unwrap_or_default().to_ascii_uppercase();
        matches!(code.as_str(), "IM," | "IO," | "FT," | "RD," | "OF," | "OD,")
            || l.starts_with("##")
    });
    if lines
        .iter()
        .any(|l| l.to_ascii_uppercase().starts_with("IM,"))
        && most(lfp)
    {
        return Looks::Lfp;
    }
    if lines.iter().any(|l| l.starts_with("@T ")) {
        return Looks::Dii;
    }
    let sums = count(&|l| {
        let hex = l.split_whitespace().next().unwrap_or_default();
        (hex.len() == 64 || hex.len() == 32)
            && hex.bytes().all(|c| c.is_ascii_hexdigit())
            && l.split_whitespace().count() >= 2
    });
    if most(sums) {
        return Looks::Sums;
    }
    let opt = count(&|l| {
        let f: Vec<&str> = l.split(',').collect();
        (5..=7).contains(&f.len())
            && !f[0].trim().is_empty()
            && f[2].contains('.')
            && matches!(f[3].trim(), "" | "Y" | "y")
    });
    if most(opt) {
        return Looks::Opt;
    }
    Looks::Table
}

/// The role a file was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Index,
    Privlog,
    Opt,
}

impl Role {
    pub fn flag(self) -> &'static str {
        match self {
            Role::Index => "--index",
            Role::Privlog => "--privlog",
            Role::Opt => "--opt",
        }
    }

    fn wanted(self) -> &'static str {
        match self {
            Role::Index => "an index (Concordance DAT, CSV, XLSX, XLS, ODS or EDRM XML)",
            Role::Privlog => "a privilege log (CSV, XLSX, XLS, ODS or DAT)",
            Role::Opt => "an image cross-reference (Opticon OPT, IPRO LFP or Summation DII)",
        }
    }
}

/// Whether a file that looks like `looks` can serve as `role`; when not,
/// why, as a sentence naming what it looks like.
pub fn fits(role: Role, looks: Looks) -> Result<(), String> {
    let ok = match role {
        Role::Index => looks.is_table() || looks == Looks::EdrmXml,
        Role::Privlog => looks.is_table(),
        Role::Opt => looks.is_image_xref(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "it looks like {}, not {}",
            looks.describe(),
            role.wanted()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_kinds_by_magic() {
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Looks::Tiff);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Looks::Tiff);
        assert_eq!(sniff(b"%PDF-1.7\n"), Looks::Pdf);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1"), Looks::Ole);
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), Looks::Xlsx);
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml"),
            Looks::OfficeDocument
        );
        assert_eq!(sniff(b"PK\x03\x04....data.bin"), Looks::Zip);
        assert_eq!(sniff(b"  \n"), Looks::Empty);
        assert!(matches!(sniff(b"\x01\x02\0\x03"), Looks::Binary(_)));
    }

    #[test]
    fn text_kinds_by_content() {
        assert_eq!(sniff(b"{\"volume\": \"VOL001\"}\n"), Looks::Json);
        assert_eq!(sniff(b"\xEF\xBB\xBF[{\"a\":1}]"), Looks::Json);
        assert_eq!(sniff(b"[matter]\ncaption = 'x'\n"), Looks::Table);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<Root><Batch><Documents/></Batch></Root>"),
            Looks::EdrmXml
        );
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg/>"), Looks::Xml);
        assert_eq!(sniff("þBEGBATESþ\u{14}þENDBATESþ\n".as_bytes()), Looks::Dat);
        assert_eq!(
            sniff(b"A1,VOL,IMAGES\\A1.tif,Y,,,2\r\nA2,VOL,IMAGES\\A2.tif,,,,\r\n"),
            Looks::Opt
        );
        assert_eq!(
            sniff(b"A1,VOL,IMAGES\\A1.tif,Y,\r\nA2,VOL,IMAGES\\A2.tif,,\r\n"),
            Looks::Opt
        );
        // Lines ended by a CR alone are lines too.
        assert_eq!(
            sniff(b"A1,VOL,IMAGES\\A1.tif,Y,,,2\rA2,VOL,IMAGES\\A2.tif,,,,\r"),
            Looks::Opt
        );
        assert_eq!(
            sniff(b"IM,A1,D,0,@VOL;IMAGES\\00;A1.TIF;2\r\nIM,A2,,0,@VOL;IMAGES\\00;A2.TIF;2\r\n"),
            Looks::Lfp
        );
        assert_eq!(
            sniff(b"; comment\r\n@T A1\r\n@D @I\\IMAGES\r\nA1.TIF\r\n"),
            Looks::Dii
        );
        let hex = "ab".repeat(32);
        assert_eq!(
            sniff(format!("{hex}  IMAGES/a.pdf\n").as_bytes()),
            Looks::Sums
        );
        assert_eq!(sniff(b"BEGBATES,ENDBATES\nA1,A2\n"), Looks::Table);
        assert_eq!(
            sniff(b"Control Number|Extracted Text\nC1|hello\n"),
            Looks::Table
        );
    }

    #[test]
    fn roles_accept_their_kinds_only() {
        assert!(fits(Role::Opt, Looks::Opt).is_ok());
        assert!(fits(Role::Opt, Looks::Lfp).is_ok());
        assert!(fits(Role::Opt, Looks::Dii).is_ok());
        assert!(fits(Role::Index, Looks::Xlsx).is_ok());
        assert!(fits(Role::Privlog, Looks::Table).is_ok());
        assert_eq!(
            fits(Role::Opt, Looks::Tiff).unwrap_err(),
            "it looks like a TIFF image, not an image cross-reference (Opticon OPT, IPRO LFP or Summation DII)"
        );
        assert!(fits(Role::Privlog, Looks::Json).is_err());
        assert!(fits(Role::Index, Looks::Opt).is_err());
        assert!(fits(Role::Opt, Looks::Dat).is_err());
    }
}
