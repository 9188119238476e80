//! IPRO LFP image cross-references: one record a line, each starting with a
//! two-letter command. `IM,key,boundary,offset,@volume;folder;file;type[,rotation]`
//! lines are pages; other commands (IO, FT, RD, comments) are skipped with a
//! note. Boundary `D` starts a document, empty continues it; `C` is read as
//! a document break too, and any other letter as none (a note says so).

use super::Problem;
use super::opt::{Opt, OptLine, Parts, text_lines};

pub fn read(bytes: &[u8]) -> Opt {
    let (lines, encoding, mut problems) = text_lines(bytes);
    let mut out = Vec::new();
    let mut skipped = 0usize;
    let mut child = 0usize;
    let mut other_flags: Vec<String> = Vec::new();
    let mut unread_keys = Vec::new();
    for (n, raw) in lines {
        let trimmed = raw.trim();
        let command = trimmed.get(..3).unwrap_or_default().to_ascii_uppercase();
        if command != "IM," {
            skipped += 1;
            continue;
        }
        let fields: Vec<&str> = trimmed.splitn(5, ',').map(str::trim).collect();
        let [_, key, boundary, _offset, location] = fields[..] else {
            unread_keys.extend(fields.get(1).map(|k| k.to_string()));
            problems.push(Problem::line(
                n,
                format!(
                    "this IM record has {} comma-separated fields, not 5 or more: `{trimmed}`",
                    fields.len()
                ),
            ));
            continue;
        };
        // `@volume;folder;file;type`, then an optional `,rotation`.
        let location = location.split(',').next().unwrap_or_default();
        let parts: Vec<&str> = location
            .trim_start_matches('@')
            .split(';')
            .map(str::trim)
            .collect();
        if !location.starts_with('@') || parts.len() < 3 || parts[2].is_empty() || key.is_empty() {
            unread_keys.push(key.to_string());
            problems.push(Problem::line(
                n,
                format!("this IM record has no key or no `@volume;folder;file;type` image location: `{trimmed}`"),
            ));
            continue;
        }
        let (folder, file) = (parts[1], parts[2]);
        let path = if folder.is_empty() {
            file.to_string()
        } else {
            format!("{}\\{file}", folder.trim_end_matches(['\\', '/']))
        };
        let flag = boundary.to_ascii_uppercase();
        let doc_break = match flag.as_str() {
            "D" => true,
            "C" => {
                child += 1;
                true
            }
            "" => false,
            other => {
                if !other_flags.iter().any(|f| f == other) {
                    other_flags.push(other.to_string());
                }
                false
            }
        };
        out.push(OptLine::new(Parts {
            line: n,
            raw: trimmed,
            key,
            path: &path,
            doc_break,
            pages: None,
            fields: 7,
        }));
    }
    let mut notes = Vec::new();
    if skipped > 0 {
        notes.push(format!(
            "{skipped} line(s) other than IM image records (IO, FT, RD, comments…) were skipped"
        ));
    }
    if child > 0 {
        notes.push(format!(
            "{child} IM record(s) with boundary `C` were read as starting a document"
        ));
    }
    if !other_flags.is_empty() {
        notes.push(format!(
            "IM boundaries {} were read as continuing the document (only `D` and `C` start one)",
            other_flags
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Opt {
        dialect: "IPRO LFP",
        encoding: encoding.into(),
        lines: out,
        problems,
        notes,
        unread_keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_im_records_and_skips_the_rest() {
        let o = read(
            b"IO,MSC00014,E,,\r\nIM,MSC00014,D,0,@MSC001;IMAGES\\00\\00;MSC00014.TIF;2\r\nIM,MSC00015,,0,@MSC001;IMAGES\\00\\00;MSC00015.TIF;2,1\r\nIM,MSC00016,D,1,@MSC001;IMAGES;MULTI.TIF\r\nIM,bad\r\n",
        );
        assert_eq!(o.lines.len(), 3);
        assert_eq!(o.lines[0].key(), "MSC00014");
        assert_eq!(o.lines[0].path(), "IMAGES\\00\\00\\MSC00014.TIF");
        assert!(o.lines[0].doc_break());
        assert!(!o.lines[1].doc_break());
        assert_eq!(o.lines[1].path(), "IMAGES\\00\\00\\MSC00015.TIF");
        assert_eq!(o.lines[2].path(), "IMAGES\\MULTI.TIF");
        assert_eq!(o.problems.len(), 1);
        assert_eq!(o.problems[0].line, Some(5));
        assert_eq!(o.notes.len(), 1, "{:?}", o.notes);
    }
}
