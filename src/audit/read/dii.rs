//! Summation DII image cross-references: `@T tag` starts a record, `@D`
//! names the folder of its images (`@I` is the case's image folder, `@V
//! label:path` a volume), and the lines after it until the next `@T` are
//! the record's image files, one per page. `@C PGCOUNT n` gives the page
//! count; other `@` tokens and `;` comments are skipped. Page k of a record
//! whose tag is a Bates number is keyed by that number plus k.

use super::Problem;
use super::opt::{Opt, OptLine, Parts, text_lines};
use crate::audit::bates::{self, Bates};

pub fn read(bytes: &[u8]) -> Opt {
    let (lines, encoding, mut problems) = text_lines(bytes);
    let mut out: Vec<OptLine> = Vec::new();
    let mut tag: Option<String> = None;
    let mut folder = String::new();
    let mut page = 0u64;
    let mut pgcount: Option<String> = None;
    let mut first_of_record: Option<usize> = None;
    for (n, raw) in lines {
        let line = raw.trim();
        if line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            let (token, value) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let value = value.trim();
            match token.to_ascii_uppercase().as_str() {
                "T" => {
                    if value.is_empty() {
                        problems.push(Problem::line(n, "this @T line gives no image tag"));
                    }
                    tag = (!value.is_empty()).then(|| value.to_string());
                    folder.clear();
                    page = 0;
                    pgcount = None;
                    first_of_record = None;
                }
                "D" => {
                    let v = value
                        .strip_prefix("@I")
                        .or_else(|| value.strip_prefix("@i"))
                        .unwrap_or(value);
                    let v = match v.strip_prefix("@V").or_else(|| v.strip_prefix("@v")) {
                        Some(rest) => rest.split_once(':').map_or(rest, |(_, p)| p),
                        None => v,
                    };
                    folder = v.trim().trim_matches(['\\', '/']).to_string();
                }
                "C" => {
                    let (field, v) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
                    if field.eq_ignore_ascii_case("PGCOUNT") {
                        pgcount = Some(v.trim().to_string());
                        if let Some(i) = first_of_record {
                            out[i] = out[i].with_pages(pgcount.as_deref());
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        let Some(t) = &tag else {
            problems.push(Problem::line(
                n,
                format!("the image file `{line}` comes before any @T record"),
            ));
            continue;
        };
        let key = match Bates::parse(t) {
            Some(b) if !b.is_inserted() => bates::format(&b.prefix, b.width, b.number + page),
            _ if page == 0 => t.clone(),
            _ => line
                .rsplit(['\\', '/'])
                .next()
                .unwrap_or(line)
                .rsplit_once('.')
                .map_or(line, |(s, _)| s)
                .to_string(),
        };
        let path = if folder.is_empty() {
            line.to_string()
        } else {
            format!("{folder}\\{line}")
        };
        if page == 0 {
            first_of_record = Some(out.len());
        }
        out.push(OptLine::new(Parts {
            line: n,
            raw: line,
            key: &key,
            path: &path,
            doc_break: page == 0,
            pages: (page == 0).then(|| pgcount.as_deref().unwrap_or_default()),
            fields: 7,
        }));
        page += 1;
    }
    // A record without @C PGCOUNT gives no count: nothing to compare.
    for l in &mut out {
        if l.pages() == Some("") {
            *l = l.with_pages(None);
        }
    }
    Opt {
        dialect: "Summation DII",
        encoding: encoding.into(),
        lines: out,
        problems,
        notes: Vec::new(),
        unread_keys: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_their_folder_and_pages() {
        let o = read(
            b"@FULLTEXT DOC\r\n; comment\r\n@T AA000001\r\n@C DOCTYPE Fax\r\n@C PGCOUNT 3\r\n@D @I\\IMAGES\\001\r\nAA000001.TIF\r\nAA000002.TIF\r\nAA000003.TIF\r\n@T AA000004\r\n@D @V VOL1:\\IMAGES\\002\\\r\nAA000004.TIF\r\n",
        );
        let keys: Vec<&str> = o.lines.iter().map(|l| l.key()).collect();
        assert_eq!(keys, ["AA000001", "AA000002", "AA000003", "AA000004"]);
        assert_eq!(o.lines[0].path(), "IMAGES\\001\\AA000001.TIF");
        assert_eq!(o.lines[3].path(), "IMAGES\\002\\AA000004.TIF");
        assert!(o.lines[0].doc_break() && !o.lines[1].doc_break() && o.lines[3].doc_break());
        assert_eq!(o.lines[0].pages(), Some("3"));
        assert_eq!(o.lines[3].pages(), None);
        assert!(o.problems.is_empty());
    }
}
