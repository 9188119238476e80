//! The one place where other tools' column names are understood: a header is
//! normalised (upper case, letters and digits only) and looked up in the
//! synonym table, then matched by a few patterns (`PRODBEGBATES`, …).

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    BegBates,
    EndBates,
    /// One cell holding a range or a single number (`Bates`, `Bates Range`).
    BatesRange,
    PageCount,
    ControlId,
    LogId,
    Volume,
    Category,
    Treatment,
    /// A Y/N column saying the document is redacted.
    Redacted,
    /// A Y/N column saying the document is withheld.
    Withheld,
    Custodian,
    NativeLink,
    ImageLink,
    TextLink,
    /// A path that may be a link or the original's location: used only when it resolves.
    FilePath,
    /// Hash of the file in the volume.
    ProducedHash,
    /// Hash of the collected original.
    SourceHash,
    /// A hash column that does not say which file it hashes.
    Hash,
    DocDate,
    DocType,
    Author,
    Recipients,
    Description,
    Privilege,
    FileName,
    /// First number of the document's family (BEGATTACH).
    BegAttach,
    /// Last number of the family (ENDATTACH).
    EndAttach,
    /// The family's range in one cell (AttachRange, FAMLYRNG).
    FamilyRange,
    /// The parent's Bates number or id (PARENTID, PARENT_BATES).
    Parent,
    /// The attachments' numbers or ids (ATTCHIDS, ATTACH_BATES).
    AttachIds,
}

impl Field {
    /// The name reports use for the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::BegBates => "BEGBATES",
            Field::EndBates => "ENDBATES",
            Field::BatesRange => "BATES",
            Field::PageCount => "PGCOUNT",
            Field::ControlId => "CONTROL_ID",
            Field::LogId => "LOG_ID",
            Field::Volume => "VOLUME",
            Field::Category => "CATEGORY",
            Field::Treatment => "TREATMENT",
            Field::Redacted => "REDACTED",
            Field::Withheld => "WITHHELD",
            Field::Custodian => "CUSTODIAN",
            Field::NativeLink => "NATIVELINK",
            Field::ImageLink => "IMAGELINK",
            Field::TextLink => "TEXTLINK",
            Field::FilePath => "FILEPATH",
            Field::ProducedHash => "PRODUCED_HASH",
            Field::SourceHash => "SOURCE_HASH",
            Field::Hash => "HASH",
            Field::DocDate => "DOC_DATE",
            Field::DocType => "DOC_TYPE",
            Field::Author => "AUTHOR",
            Field::Recipients => "RECIPIENTS",
            Field::Description => "DESCRIPTION",
            Field::Privilege => "PRIVILEGE",
            Field::FileName => "FILENAME",
            Field::BegAttach => "BEGATTACH",
            Field::EndAttach => "ENDATTACH",
            Field::FamilyRange => "FAMILY_RANGE",
            Field::Parent => "PARENT",
            Field::AttachIds => "ATTACH_IDS",
        }
    }

    /// Fields that may come from several columns at once.
    fn multi(self) -> bool {
        matches!(
            self,
            Field::ProducedHash | Field::SourceHash | Field::Hash | Field::Recipients
        )
    }
}

/// Normalised header names (upper case, ASCII letters and digits only).
#[rustfmt::skip]
const SYNONYMS: &[(Field, &[&str])] = &[
    (Field::BegBates, &["BEGBATES", "BEGDOC", "BEGDOCNO", "BEGDOCNUM", "BEGDOCNUMBER", "BATESBEGIN", "BATESBEG",
        "BATESSTART", "BATESBEGINNING", "FIRSTBATES", "BEGINBATES", "BEGINNINGBATES", "STARTBATES", "PRODBEGBATES",
        "PRODBEGDOC", "PRODBEG", "PRODUCTIONBEGBATES", "PRODUCTIONBEGIN", "PRODUCTIONSTART", "BEGPROD", "BEGPRODNO",
        "BEGNO", "BEGNUM", "BEGBATESNUMBER", "BEGINBATESNUMBER", "BATESNUMBERBEGIN", "STARTDOC", "BEGINDOC",
        "BEGINDOCNO", "BATESFROM", "FROMBATES", "BEGBATESNO", "DOCSTART", "BEGINNINGPRODUCTIONNUMBER",
        "BEGPRODUCTIONNUMBER", "PRODBEGNO", "FIRSTPRODUCTIONNUMBER", "BEGIMAGE", "BEGINIMAGE", "FIRSTPAGEID",
        "BEGBATESNUM"]),
    (Field::EndBates, &["ENDBATES", "ENDDOC", "ENDDOCNO", "ENDDOCNUM", "ENDDOCNUMBER", "BATESEND", "BATESENDING",
        "LASTBATES", "ENDINGBATES", "PRODENDBATES", "PRODENDDOC", "PRODEND", "PRODUCTIONENDBATES", "PRODUCTIONEND",
        "ENDPROD", "ENDPRODNO", "ENDNO", "ENDNUM", "ENDBATESNUMBER", "BATESNUMBEREND", "ENDINGDOC", "BATESTO",
        "TOBATES", "ENDBATESNO", "DOCEND", "ENDINGPRODUCTIONNUMBER", "ENDPRODUCTIONNUMBER", "PRODENDNO",
        "LASTPRODUCTIONNUMBER", "ENDIMAGE", "LASTPAGEID", "ENDBATESNUM"]),
    (Field::BatesRange, &["BATES", "BATESNUMBER", "BATESNUMBERS", "BATESNO", "BATESNOS", "BATESRANGE", "PRODBATES",
        "PRODUCTIONBATES", "PRODUCTIONNUMBER", "PRODUCTIONNUMBERS", "PRODNO", "PRODNUMBER", "BATESID",
        "PRODUCTIONRANGE", "DOCRANGE"]),
    (Field::PageCount, &["PGCOUNT", "PAGECOUNT", "PAGES", "NUMPAGES", "PGCNT", "PAGECNT", "NUMBEROFPAGES", "PGS",
        "IMAGECOUNT", "TOTALPAGES", "NOOFPAGES", "NUMOFPAGES", "PAGECOUNTS", "PAGESCOUNT", "NBRPAGES"]),
    (Field::ControlId, &["CONTROLID", "CONTROLNUMBER", "CONTROLNO", "CONTROLNUM", "DOCID", "DOCUMENTID", "DOCNO",
        "DOCNUMBER", "DOCUMENTNUMBER", "DOCUMENTNO", "ITEMID", "RECORDID", "ARDOCNO", "ARDOCNUM", "ARDOCNUMBER",
        "DOCKEY"]),
    (Field::LogId, &["LOGID", "PRIVID", "PRIVLOGID", "PRIVLOGNO", "PRIVLOGNUMBER", "LOGNO", "LOGNUMBER", "LOG",
        "ENTRY", "ENTRYNO", "ENTRYNUMBER", "ENTRYID", "PRIVILEGELOGID", "PRIVILEGELOGNO", "PRIVILEGELOGNUMBER",
        "PRIVNO", "PRIVNUMBER", "LOGENTRY", "NO", "ITEM", "ITEMNO", "PRIVILEGEID"]),
    (Field::Volume, &["VOLUME", "VOL", "PRODVOL", "PRODVOLUME", "PRODUCTIONVOLUME", "VOLUMENAME", "BOX", "VOLUMEID"]),
    (Field::Category, &["CATEGORY", "CATEGORIES", "CATEGORYID", "CATEGORYIDS", "RECORDCATEGORY", "COURTCATEGORY",
        "ORDERCATEGORY", "CAT", "RECORDTAB", "CATEGORYNAME"]),
    (Field::Treatment, &["TREATMENT", "STATUS", "PRODUCTIONSTATUS", "PRODSTATUS", "DOCSTATUS", "PRPRTIES",
        "PROPERTIES", "DISPOSITION", "PRODUCTIONTREATMENT", "PRIVSTATUS", "PRIVILEGESTATUS", "WITHHELDREDACTED",
        "REDACTEDWITHHELD", "PRIVILEGETREATMENT", "WITHHELDORREDACTED", "REDACTEDORWITHHELD", "PRODUCTIONTYPE",
        "ACTION", "PRIVACTION"]),
    (Field::Redacted, &["REDACTED", "REDACTION", "REDACTIONS", "ISREDACTED", "HASREDACTIONS", "REDACTEDYN", "REDACT"]),
    (Field::Withheld, &["WITHHELD", "ISWITHHELD", "WITHHELDYN", "WITHHELDINFULL", "WITHHOLD"]),
    (Field::Custodian, &["CUSTODIAN", "CUSTDIAN", "CUSTODIANS", "ALLCUSTODIANS", "CUSTODIANNAME", "DUPCUSTODIANS",
        "DUPECUSTODIANS"]),
    (Field::NativeLink, &["NATIVELINK", "DOCLINK", "LINK", "NATIVEPATH", "NATIVEFILE", "NATIVEFILEPATH",
        "NATIVELOCATION", "NATIVEFILELINK", "NATIVES", "NATIVE", "NATIVELINKPATH", "NATIVEFILELOCATION"]),
    (Field::ImageLink, &["IMAGELINK", "IMAGEPATH", "IMAGEFILE", "IMAGE", "IMAGES", "PDFLINK", "PDFPATH", "PDFFILE",
        "IMAGEFILEPATH", "IMAGELOCATION", "PDF", "IMAGEFILELINK"]),
    (Field::TextLink, &["TEXTLINK", "TEXTPATH", "TEXTFILE", "OCRPATH", "OCRLINK", "FULLTEXT", "TXTLINK",
        "TEXTFILEPATH", "EXTRACTEDTEXT", "TEXT", "OCR", "TEXTLOCATION", "FULLTEXTPATH", "TEXTFILELINK", "TXTPATH"]),
    (Field::FilePath, &["FILEPATH", "PATH", "FILELOCATION", "RELATIVEPATH", "FILELINK", "FILE", "LOCATION"]),
    (Field::DocDate, &["DOCDATE", "DATE", "DOCUMENTDATE", "DATESENT", "SENTDATE", "DATECREATED", "CREATEDATE",
        "CREATEDDATE", "DATEOFDOCUMENT", "DOCDT", "DATESENTCREATED", "EMAILDATE", "DATETIME", "DATEOFCOMMUNICATION"]),
    (Field::DocType, &["DOCTYPE", "DOCUMENTTYPE", "TYPE", "TYPEOFDOCUMENT", "RECORDTYPE", "RCRDTYPE", "DOCKIND",
        "KIND"]),
    (Field::Author, &["AUTHOR", "AUTHORS", "FROM", "SENDER", "AUTHORFROM", "FROMAUTHOR", "ORIGINATOR",
        "AUTHORSENDER", "WRITTENBY"]),
    (Field::Recipients, &["RECIPIENTS", "RECIPIENT", "TO", "CC", "BCC", "ADDRESSEES", "ADDRESSEE",
        "RECIPIENTSTOCCBCC", "TOCCBCC", "DISTRIBUTION", "COPYEES", "OTHERRECIPIENTS"]),
    (Field::Description, &["DESCRIPTION", "SUBJECTMATTER", "DESCRIPTIONOFDOCUMENT", "DOCUMENTDESCRIPTION",
        "PRIVILEGEDESCRIPTION", "DESCRIPTIONOFPRIVILEGE", "GENERALSUBJECTMATTER", "BASISDESCRIPTION",
        "PRIVDESCRIPTION", "DESC", "NARRATIVE", "DESCRIPTIONOFCONTENTS", "DESCRIPTIONOFWITHHELDMATERIAL",
        "SUBJECTMATTERDESCRIPTION"]),
    (Field::Privilege, &["PRIVILEGE", "PRIVILEGES", "PRIVILEGETYPE", "PRIVILEGEASSERTED", "PRIVILEGEBASIS",
        "PRIVILEGECLAIMED", "PRIVILEGECLAIM", "BASIS", "BASISFORWITHHOLDING", "BASISFORPRIVILEGE", "PRIV",
        "PRIVTYPE", "PRIVILEGECODE", "PRIVILEGEBASES", "ASSERTEDPRIVILEGE", "PRIVILEGESASSERTED", "BASISOFCLAIM",
        "PRIVILEGEBASISCLAIMED"]),
    (Field::FileName, &["FILENAME", "ORIGINALFILENAME", "DOCNAME", "DOCUMENTNAME", "NATIVEFILENAME"]),
    (Field::BegAttach, &["BEGATTACH", "BEGATTACHMENT", "BEGINATTACH", "BEGINATTACHMENT", "BEGFAMILY", "BEGINFAMILY",
        "FAMILYBEG", "FAMILYBEGIN", "BEGFAM", "ATTACHBEG", "ATTACHMENTBEGIN", "BEGATTACHBATES", "PRODBEGATTACH",
        "BEGBATESFAMILY", "FAMILYSTART", "BATESBEGATTACH", "BEGATT", "BEGATTACHNO"]),
    (Field::EndAttach, &["ENDATTACH", "ENDATTACHMENT", "ENDFAMILY", "FAMILYEND", "ENDFAM", "ATTACHEND",
        "ATTACHMENTEND", "ENDATTACHBATES", "PRODENDATTACH", "ENDBATESFAMILY", "BATESENDATTACH", "ENDATT",
        "ENDATTACHNO"]),
    (Field::FamilyRange, &["ATTACHRANGE", "ATTACHMENTRANGE", "FAMLYRNG", "FAMILYRANGE", "FAMRANGE", "FAMILYRNG",
        "BATESFAMILYRANGE"]),
    (Field::Parent, &["PARENT", "PARENTID", "PARENTBATES", "PARENTDOCID", "PARENTDOCUMENTID", "PARENTDOC",
        "PARENTCONTROLNUMBER", "PARENTCONTROLID", "PARENTBEGBATES", "PARENTDOCNO", "PARENTNUMBER", "PARENTBATESNO",
        "PARENTDOCUMENT", "PRODPARENTID", "PARENTPRODNO"]),
    (Field::AttachIds, &["ATTCHIDS", "ATTACHIDS", "ATTACHBATES", "ATTACHMENTIDS", "ATTACHMENTBATES", "CHILDBATES",
        "CHILDIDS", "CHILDID", "CHILDDOCIDS", "ATTACHMENTS", "ATTACHMENTLIST", "ATTACHMENTDOCIDS", "CHILDCONTROLNUMBERS",
        "ATTACHDOCIDS", "ATTACHMENTCONTROLNUMBERS", "ATTACHMENTBATESNUMBERS", "CHILDREN"]),
];

/// Upper case, ASCII letters and digits only: `Beg Bates #` → `BEGBATES`.
pub fn normalise(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The field a header names, if adrec knows it.
pub fn field_of(header: &str) -> Option<Field> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    if let Some((field, _)) = SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
    {
        return Some(*field);
    }
    pattern_of(&n)
}

/// Headers no table lists, recognised by their parts.
fn pattern_of(n: &str) -> Option<Field> {
    let has = |s: &str| n.contains(s);
    if [
        "ATTACH", "FAMILY", "FAM", "PARENT", "CHILD", "DATE", "TIME", "GROUP",
    ]
    .iter()
    .any(|s| has(s))
    {
        return None;
    }
    let hashy = ["SHA", "MD5", "HASH", "CHECKSUM", "DIGEST"]
        .iter()
        .any(|s| has(s));
    if hashy {
        if ["MSG", "MESSAGE", "EMAIL", "THREAD", "DEDUP", "DUPE"]
            .iter()
            .any(|s| has(s))
        {
            return None;
        }
        if has("PROD") || has("OUTPUT") || has("VOLUME") || has("IMAGE") {
            return Some(Field::ProducedHash);
        }
        if has("SOURCE") || has("ORIG") || has("COLLECT") || has("NATIVE") || has("SRC") {
            return Some(Field::SourceHash);
        }
        return Some(Field::Hash);
    }
    let bates = has("BATES") || has("DOC") || has("PROD");
    if bates && (has("BEG") || has("FIRST") || has("START")) {
        return Some(Field::BegBates);
    }
    if bates && (has("END") || has("LAST")) {
        return Some(Field::EndBates);
    }
    if has("BATES") {
        return Some(Field::BatesRange);
    }
    if has("LINK") || has("PATH") {
        if has("NATIVE") || has("DOC") {
            return Some(Field::NativeLink);
        }
        if has("IMAGE") || has("PDF") || has("TIF") {
            return Some(Field::ImageLink);
        }
        if has("TEXT") || has("TXT") || has("OCR") {
            return Some(Field::TextLink);
        }
    }
    if has("CUSTODIAN") {
        return Some(Field::Custodian);
    }
    if has("PRIVILEGE") && (has("BASIS") || has("CLAIM") || has("TYPE")) {
        return Some(Field::Privilege);
    }
    if has("DESCRIPTION") {
        return Some(Field::Description);
    }
    if has("RECIPIENT") {
        return Some(Field::Recipients);
    }
    None
}

/// Which column holds which field, for one table.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Field → column positions (several for multi-column fields).
    map: BTreeMap<Field, Vec<usize>>,
    headers: Vec<String>,
    /// Headers that named a field another column already holds.
    pub ignored: Vec<String>,
}

impl Columns {
    pub fn new(headers: &[String]) -> Columns {
        let mut cols = Columns {
            headers: headers.to_vec(),
            ..Default::default()
        };
        for (i, header) in headers.iter().enumerate() {
            let Some(field) = field_of(header) else {
                continue;
            };
            let slot = cols.map.entry(field).or_default();
            if slot.is_empty() || field.multi() {
                slot.push(i);
            } else {
                cols.ignored.push(header.trim().to_string());
            }
        }
        // A link column can hide behind a generic name only when the real one is absent.
        cols
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.map.get(&field).and_then(|v| v.first().copied())
    }

    pub fn all(&self, field: Field) -> &[usize] {
        self.map.get(&field).map_or(&[], Vec::as_slice)
    }

    pub fn has(&self, field: Field) -> bool {
        self.map.contains_key(&field)
    }

    /// The header as written for column `i`.
    pub fn header(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", |h| h.trim())
    }

    /// How many headers were understood.
    pub fn recognised(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    /// Field label → header(s) as written, for the report.
    pub fn describe(&self) -> BTreeMap<String, String> {
        self.map
            .iter()
            .map(|(f, cols)| {
                (
                    f.label().to_string(),
                    cols.iter()
                        .map(|&i| self.header(i))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_synonyms_are_understood() {
        for h in [
            "BEGBATES",
            "BegDoc",
            "Bates Begin",
            "FIRSTBATES",
            "Beg Bates",
            "ProdBegBates",
            "BEGDOC#",
            "Beg Bates #",
        ] {
            assert_eq!(field_of(h), Some(Field::BegBates), "{h}");
        }
        for h in [
            "ENDBATES",
            "EndDoc",
            "Bates End",
            "LASTBATES",
            "End Bates",
            "ProdEndBates",
            "ENDDOC#",
        ] {
            assert_eq!(field_of(h), Some(Field::EndBates), "{h}");
        }
        // Family columns are never taken for the document's own Bates numbers.
        assert_eq!(field_of("BEGATTACH"), Some(Field::BegAttach));
        assert_eq!(field_of("Beg Attach"), Some(Field::BegAttach));
        assert_eq!(field_of("FAMLYRNG"), Some(Field::FamilyRange));
        assert_eq!(field_of("Parent Document ID"), Some(Field::Parent));
        assert_eq!(field_of("ATTCHIDS"), Some(Field::AttachIds));
        assert_eq!(field_of("BegAttachment Bates"), None);
        assert_eq!(field_of("Page Count"), Some(Field::PageCount));
        assert_eq!(field_of("PRODUCED_SHA256"), Some(Field::ProducedHash));
        assert_eq!(field_of("SOURCE_MD5"), Some(Field::SourceHash));
        assert_eq!(field_of("MD5HASH"), Some(Field::Hash));
        assert_eq!(field_of("SHA256"), Some(Field::Hash));
        assert_eq!(field_of("Message ID Hash"), None);
        assert_eq!(field_of("DOCLINK"), Some(Field::NativeLink));
        assert_eq!(field_of("Native File Path"), Some(Field::NativeLink));
        assert_eq!(field_of("OCRPATH"), Some(Field::TextLink));
        assert_eq!(field_of("PRPRTIES"), Some(Field::Treatment));
        assert_eq!(field_of("Privilege Asserted"), Some(Field::Privilege));
        assert_eq!(field_of("Bates Range"), Some(Field::BatesRange));
        assert_eq!(field_of("CONTROL_ID"), Some(Field::ControlId));
        assert_eq!(field_of("LOG_ID"), Some(Field::LogId));
        assert_eq!(field_of("DOC_DATE"), Some(Field::DocDate));
    }

    #[test]
    fn second_column_for_a_single_field_is_ignored() {
        let cols = Columns::new(&["BEGBATES".into(), "BegDoc".into(), "TO".into(), "CC".into()]);
        assert_eq!(cols.get(Field::BegBates), Some(0));
        assert_eq!(cols.ignored, vec!["BegDoc".to_string()]);
        assert_eq!(cols.all(Field::Recipients), &[2, 3]);
    }
}
