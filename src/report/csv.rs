//! Findings as CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, and a `'` before
//! any value a spreadsheet would evaluate (`=`, `+`, `-`, `@`, TAB, CR).

use crate::audit::finding::Report;

/// A value made safe to open in a spreadsheet.
pub fn neutralise(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn field(value: &str) -> String {
    let v = neutralise(value);
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

pub fn audit(report: &Report) -> Vec<u8> {
    let mut out = String::from("\u{feff}code,volume,bates,files,location,message\r\n");
    for f in &report.findings {
        let cells = [
            f.code.as_str().to_string(),
            f.volume.clone(),
            f.bates.join("; "),
            f.files.join("; "),
            super::location(f),
            f.message.clone(),
        ];
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
    }
}
