//! The fields a reviewer sets, under the names users know them by (the
//! `tag` options, the sheet headers, the history's field names).

/// One reviewer-settable field of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Status,
    Category,
    Privilege,
    Description,
    Confidentiality,
    RedactedFile,
    AsNative,
    HiddenReviewed,
    DocDate,
    DocType,
    Author,
    Recipients,
    Title,
    Filename,
    Note,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Field::Status,
        Field::Category,
        Field::Privilege,
        Field::Description,
        Field::Confidentiality,
        Field::RedactedFile,
        Field::AsNative,
        Field::HiddenReviewed,
        Field::DocDate,
        Field::DocType,
        Field::Author,
        Field::Recipients,
        Field::Title,
        Field::Filename,
        Field::Note,
    ];

    /// The option's name without `--`: also the sheet header and the field
    /// name recorded in history.
    pub fn name(self) -> &'static str {
        match self {
            Field::Status => "status",
            Field::Category => "category",
            Field::Privilege => "privilege",
            Field::Description => "description",
            Field::Confidentiality => "confidentiality",
            Field::RedactedFile => "redacted-file",
            Field::AsNative => "as-native",
            Field::HiddenReviewed => "hidden-reviewed",
            Field::DocDate => "doc-date",
            Field::DocType => "doc-type",
            Field::Author => "author",
            Field::Recipients => "recipients",
            Field::Title => "title",
            Field::Filename => "filename",
            Field::Note => "note",
        }
    }
}

/// How a row names its document(s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    DocId,
    Sha256,
    Path,
}

impl KeyKind {
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::DocId => "docid",
            KeyKind::Sha256 => "sha256",
            KeyKind::Path => "path",
        }
    }
}

/// What a sheet column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Key(KeyKind),
    Field(Field),
    Reviewer,
}

/// Matches a header: case-insensitive, spaces, `_` and `-` alike, a leading
/// `--` allowed, common plurals accepted (`Doc Date`, `DOC_DATE`,
/// `--doc-date`, `Categories`).
pub fn column_for_header(header: &str) -> Option<Column> {
    let norm: String = header
        .trim()
        .trim_start_matches("--")
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .collect();
    Some(match norm.as_str() {
        "docid" | "controlid" => Column::Key(KeyKind::DocId),
        "sha256" => Column::Key(KeyKind::Sha256),
        "path" => Column::Key(KeyKind::Path),
        "reviewer" => Column::Reviewer,
        "categories" => Column::Field(Field::Category),
        "privileges" => Column::Field(Field::Privilege),
        "notes" => Column::Field(Field::Note),
        "redacted" | "redactedpdf" => Column::Field(Field::RedactedFile),
        other => Column::Field(
            Field::ALL
                .into_iter()
                .find(|f| f.name().replace('-', "") == other)?,
        ),
    })
}

/// Every header a sheet may use, for error hints.
pub fn known_headers() -> String {
    let mut names = vec!["docid", "sha256", "path"];
    names.extend(Field::ALL.iter().map(|f| f.name()));
    names.push("reviewer");
    names.join(", ")
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    crate::sheet_bounds::column_name(index as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely() {
        assert_eq!(
            column_for_header(" DocID "),
            Some(Column::Key(KeyKind::DocId))
        );
        assert_eq!(
            column_for_header("SHA-256"),
            Some(Column::Key(KeyKind::Sha256))
        );
        assert_eq!(
            column_for_header("Doc Date"),
            Some(Column::Field(Field::DocDate))
        );
        assert_eq!(
            column_for_header("DOC_TYPE"),
            Some(Column::Field(Field::DocType))
        );
        assert_eq!(
            column_for_header("--redacted-file"),
            Some(Column::Field(Field::RedactedFile))
        );
        assert_eq!(
            column_for_header("Categories"),
            Some(Column::Field(Field::Category))
        );
        assert_eq!(
            column_for_header("Hidden Reviewed"),
            Some(Column::Field(Field::HiddenReviewed))
        );
        assert_eq!(column_for_header("Reviewer"), Some(Column::Reviewer));
        assert_eq!(column_for_header("privilage"), None);
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
