//! Load files and spreadsheets written from the one row model.
//! Writers take rows and return bytes (or write to `impl Write`); where the
//! bytes go is the caller's business.

pub mod csv;
pub mod cumulative;
pub mod dat;
pub mod lfp;
pub mod opt;
pub mod privlog_profile;
pub mod privlog_render;
pub mod profile;
pub mod row;
pub mod spill;
pub mod stored;
pub mod xlsx;

pub use dat::{DatOutput, Substitution, Unencodable, write_dat, write_dat_as};
pub use opt::{OptDoc, OptError, write_opt};
pub use row::{IndexRow, PrivLogRow};
pub use xlsx::{Truncation, XlsxOutput, XlsxProps, index_xlsx, privlog_xlsx, privlog_xlsx_into};

/// Parses a row's DOC_DATE, which is exactly `YYYY-MM-DD` with a real
/// calendar date; anything else is `None`.
pub(crate) fn parse_ymd(s: &str) -> Option<jiff::civil::Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year: i16 = s[0..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..10].parse().ok()?;
    jiff::civil::Date::new(year, month, day).ok()
}

/// A writer whose disk is full, for the exporters' tests.
#[cfg(test)]
pub(crate) struct FullDisk;

#[cfg(test)]
impl std::io::Write for FullDisk {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("No space left on device"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_ymd;

    #[test]
    fn parse_ymd_is_strict() {
        assert_eq!(
            parse_ymd("2024-03-14"),
            Some(jiff::civil::date(2024, 3, 14))
        );
        assert_eq!(
            parse_ymd("2024-02-29"),
            Some(jiff::civil::date(2024, 2, 29))
        );
        for bad in [
            "2023-02-29",
            "2024-3-14",
            "20240314",
            "2024-13-01",
            "",
            "2024-03-14T00:00",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
    }
}
