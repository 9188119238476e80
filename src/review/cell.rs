//! One cell of a tagging sheet (or one command-line value), and the
//! conversions reviewers expect to work: numbers stored as text, dates typed
//! as text or as Excel serial numbers, stray spaces, adrec's own `'`
//! neutraliser.

use jiff::civil::Date;

/// A cell as the sheet reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A cell the workbook itself holds as a date (the time of day dropped).
    Date(Date),
    /// A spreadsheet error value such as `#N/A` or `#REF!`.
    Error(String),
}

/// The cell `[clear]` empties a field.
pub const CLEAR: &str = "[clear]";

impl Cell {
    /// The cell's text as a reviewer reads it: trimmed, with one leading `'`
    /// neutraliser removed; `None` for an empty or blank cell.
    pub fn text(&self) -> Result<Option<String>, String> {
        let text = match self {
            Cell::Empty => return Ok(None),
            Cell::Text(s) => strip_neutraliser(s.trim()).trim().to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => number_text(*f),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => {
                return Err(format!(
                    "the cell holds the spreadsheet error {e}; type the value itself"
                ));
            }
        };
        Ok(if text.is_empty() { None } else { Some(text) })
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Removes one leading `'` before `=`, `+`, `-`, `@`, TAB or CR: the prefix
/// adrec writes so spreadsheets never evaluate a value.
pub fn strip_neutraliser(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// A number as a reviewer typed it: `1` not `1.0`.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// `true`/`false` from the ways people write them.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "✔" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// A document date: `YYYY-MM-DD`, or the literal `undated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocDate {
    Date(Date),
    Undated,
}

impl DocDate {
    /// As stored and shown: `2024-01-15` or `undated`.
    pub fn as_text(&self) -> String {
        match self {
            DocDate::Date(d) => d.to_string(),
            DocDate::Undated => "undated".to_string(),
        }
    }
}

const DATE_HELP: &str = "write it as YYYY-MM-DD (e.g. 2024-01-15) or `undated`";

/// A document date from a cell: a date cell, an Excel serial number (as a
/// number or as text), `YYYY-MM-DD`, `M/D/YYYY` (U.S. order), `YYYYMMDD`,
/// `January 15, 2024`, `15 Jan 2024`, or `undated`. A time after the date is
/// ignored.
pub fn parse_doc_date(cell: &Cell) -> Result<Option<DocDate>, String> {
    match cell {
        Cell::Date(d) => return checked(*d).map(|d| Some(DocDate::Date(d))),
        Cell::Int(n) => return serial_date(*n as f64).map(|d| Some(DocDate::Date(d))),
        Cell::Float(f) => return serial_date(*f).map(|d| Some(DocDate::Date(d))),
        Cell::Bool(_) => return Err(format!("TRUE/FALSE is not a date; {DATE_HELP}")),
        _ => {}
    }
    let Some(text) = cell.text()? else {
        return Ok(None);
    };
    if text.eq_ignore_ascii_case("undated") {
        return Ok(Some(DocDate::Undated));
    }
    parse_date_text(&text).map(|d| Some(DocDate::Date(d)))
}

fn parse_date_text(text: &str) -> Result<Date, String> {
    let bad = || format!("{text:?} is not a date; {DATE_HELP}");
    // An Excel serial stored as text ("45306"), or a compact YYYYMMDD.
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.len() {
            1..=7 => text.parse::<f64>().map_err(|_| bad()).and_then(serial_date),
            8 => ymd(&text[..4], &text[4..6], &text[6..]).ok_or_else(bad),
            _ => Err(bad()),
        };
    }
    if let Ok(f) = text.parse::<f64>()
        && f > 0.0
    {
        return serial_date(f);
    }
    // Drop a time after the date: "2024-01-15 00:00:00", "2024-01-15T09:30",
    // "1/15/2024 12:00 AM".
    let date_part = text
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or(text);
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        let sep = date_part
            .chars()
            .find(|c| matches!(c, '-' | '/' | '.'))
            .unwrap_or('-');
        if parts[0].len() == 4 {
            return ymd(parts[0], parts[1], parts[2]).ok_or_else(bad);
        }
        if parts[2].len() == 4 && sep != '.' {
            // U.S. order: month/day/year.
            return ymd(parts[2], parts[0], parts[1]).ok_or_else(|| {
                format!("{text:?} is not a valid month/day/year date; {DATE_HELP}")
            });
        }
        if parts[2].len() == 2 {
            return Err(format!("{text:?} has a two-digit year; {DATE_HELP}"));
        }
        return Err(format!(
            "{text:?} is ambiguous (day and month order); {DATE_HELP}"
        ));
    }
    let cleaned = text.replace('.', "");
    for format in [
        "%B %d, %Y",
        "%B %d %Y",
        "%d %B %Y",
        "%b %d, %Y",
        "%b %d %Y",
        "%d %b %Y",
    ] {
        if let Ok(d) = Date::strptime(format, &cleaned) {
            return checked(d);
        }
    }
    Err(bad())
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    Date::new(y, m, d).ok().and_then(|d| checked(d).ok())
}

fn checked(d: Date) -> Result<Date, String> {
    if (1000..=9999).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!("{d} is not a plausible document date; {DATE_HELP}"))
    }
}

/// An Excel serial date (1900 system: 1 = 1900-01-01, 45306 = 2024-01-15);
/// a fraction (time of day) is dropped.
pub fn serial_date(serial: f64) -> Result<Date, String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return Err(format!(
            "{} is not a date (nor an Excel date serial number); {DATE_HELP}",
            number_text(serial)
        ));
    }
    let days = serial.floor() as i64;
    if days == 60 {
        return Err(format!(
            "60 is Excel's 1900-02-29, a day that does not exist; {DATE_HELP}"
        ));
    }
    // Excel counts 1900 as a leap year: serials after 60 are one day ahead.
    let (base, offset) = if days < 60 {
        (Date::constant(1899, 12, 31), days)
    } else {
        (Date::constant(1899, 12, 30), days)
    };
    base.checked_add(jiff::Span::new().days(offset))
        .map_err(|e| format!("{serial} is not a date: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Result<Option<DocDate>, String> {
        parse_doc_date(&Cell::Text(text.into()))
    }

    fn d(y: i16, m: i8, day: i8) -> Option<DocDate> {
        Some(DocDate::Date(Date::constant(y, m, day)))
    }

    #[test]
    fn dates_in_the_forms_reviewers_type() {
        assert_eq!(date("2024-01-15").unwrap(), d(2024, 1, 15));
        assert_eq!(date(" 2024-1-5 ").unwrap(), d(2024, 1, 5));
        assert_eq!(date("1/15/2024").unwrap(), d(2024, 1, 15));
        assert_eq!(date("01-15-2024").unwrap(), d(2024, 1, 15));
        assert_eq!(date("2024/01/15").unwrap(), d(2024, 1, 15));
        assert_eq!(date("2024-01-15 00:00:00").unwrap(), d(2024, 1, 15));
        assert_eq!(date("2024-01-15T13:45:00").unwrap(), d(2024, 1, 15));
        assert_eq!(date("1/15/2024 12:00 AM").unwrap(), d(2024, 1, 15));
        assert_eq!(date("20240115").unwrap(), d(2024, 1, 15));
        assert_eq!(date("45306").unwrap(), d(2024, 1, 15));
        assert_eq!(date("January 15, 2024").unwrap(), d(2024, 1, 15));
        assert_eq!(date("15 Jan 2024").unwrap(), d(2024, 1, 15));
        assert_eq!(date("Jan. 15, 2024").unwrap(), d(2024, 1, 15));
        assert_eq!(date("Undated").unwrap(), Some(DocDate::Undated));
        assert_eq!(date("  ").unwrap(), None);
        for bad in [
            "2024-02-30",
            "15/01/2024",
            "1/15/24",
            "15.01.2024",
            "soon",
            "13/13/2024",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_date(1.0).unwrap(), Date::constant(1900, 1, 1));
        assert_eq!(serial_date(59.0).unwrap(), Date::constant(1900, 2, 28));
        assert!(serial_date(60.0).is_err());
        assert_eq!(serial_date(61.0).unwrap(), Date::constant(1900, 3, 1));
        assert_eq!(serial_date(45306.75).unwrap(), Date::constant(2024, 1, 15));
        assert!(serial_date(0.0).is_err());
        assert!(serial_date(-3.0).is_err());
        assert_eq!(
            parse_doc_date(&Cell::Float(45306.0)).unwrap(),
            d(2024, 1, 15)
        );
    }

    #[test]
    fn cell_text() {
        assert_eq!(Cell::Float(1.0).text().unwrap().as_deref(), Some("1"));
        assert_eq!(Cell::Float(2.5).text().unwrap().as_deref(), Some("2.5"));
        assert_eq!(
            Cell::Text("  a b ".into()).text().unwrap().as_deref(),
            Some("a b")
        );
        assert_eq!(
            Cell::Text("'=SUM(A1)".into()).text().unwrap().as_deref(),
            Some("=SUM(A1)")
        );
        assert_eq!(
            Cell::Text("'-5".into()).text().unwrap().as_deref(),
            Some("-5")
        );
        assert_eq!(
            Cell::Text("'tis".into()).text().unwrap().as_deref(),
            Some("'tis")
        );
        assert_eq!(Cell::Text(" ".into()).text().unwrap(), None);
        assert!(Cell::Error("#N/A".into()).text().is_err());
    }

    #[test]
    fn bools() {
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool("x"), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
