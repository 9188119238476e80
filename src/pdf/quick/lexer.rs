//! The quick reader's lexer: PDF values read in place from the file's
//! bytes, strings and dictionaries' values left unparsed until asked for.

use std::borrow::Cow;

#[derive(Debug, Clone)]
pub(super) enum Obj<'a> {
    Null,
    Bool,
    Int(i64),
    Real,
    Name(Cow<'a, [u8]>),
    /// A string as written, delimiters included: decoded only when asked for.
    Str(&'a [u8]),
    Array(Vec<Obj<'a>>),
    /// Keys and where each value starts: values are parsed when asked for.
    Dict(&'a [u8], Vec<(Cow<'a, [u8]>, usize)>),
    Ref(u32),
}

/// Name equality that rejects on length and first byte before comparing
/// the rest (most keys differ there; a full compare is a library call).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.first() == b.first() && a == b
}

impl<'a> Obj<'a> {
    pub(super) fn get(&self, key: &[u8]) -> Option<Obj<'a>> {
        match self {
            Obj::Dict(b, items) => {
                let &(_, at) = items.iter().rev().find(|(k, _)| same(k, key))?;
                Lexer { b, i: at }.value(0)
            }
            _ => None,
        }
    }

    pub(super) fn has(&self, key: &[u8]) -> bool {
        matches!(self, Obj::Dict(_, items) if items.iter().any(|(k, _)| same(k, key)))
    }

    /// The name `key` holds, if it holds one.
    pub(super) fn name_of(&self, key: &[u8]) -> Option<Cow<'a, [u8]>> {
        match self.get(key)? {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
}

const MAX_DEPTH: usize = 64;

/// The value of a run of ASCII digits, None if it is not one or overflows
/// (as `str::parse` gives, without the UTF-8 check and the generic parser:
/// a slip sheet's widths array is hundreds of numbers, read back 100,000 times).
fn digits(w: &[u8]) -> Option<u64> {
    w.iter().try_fold(0u64, |n, &c| {
        if !c.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(c - b'0'))
    })
}

pub(super) fn is_ws(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(super) struct Lexer<'a> {
    pub(super) b: &'a [u8],
    pub(super) i: usize,
}

impl<'a> Lexer<'a> {
    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if is_ws(c) {
                self.i += 1;
            } else if c == b'%' {
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|&c| c != b'\n' && c != b'\r')
                {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters (a keyword or a number).
    pub(super) fn word(&mut self) -> &'a [u8] {
        self.skip_ws();
        self.i = self.i.min(self.b.len());
        let start = self.i;
        while self
            .b
            .get(self.i)
            .is_some_and(|&c| !is_ws(c) && !is_delim(c))
        {
            self.i += 1;
        }
        &self.b[start..self.i]
    }

    pub(super) fn uint(&mut self) -> Option<u64> {
        let w = self.word();
        if w.is_empty() || w.len() > 18 {
            return None;
        }
        digits(w)
    }

    /// Whether the next token is exactly `keyword` (stepped over if so).
    fn keyword(&mut self, keyword: &[u8]) -> bool {
        self.skip_ws();
        let end = self.i + keyword.len();
        let is = self.b.get(self.i..end) == Some(keyword)
            && self.b.get(end).is_none_or(|&c| is_ws(c) || is_delim(c));
        if is {
            self.i = end;
        }
        is
    }

    /// An optional space and a line end (CR, LF or CR LF), stepped over.
    pub(super) fn line_end(&mut self) -> bool {
        if self.b.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
        match (self.b.get(self.i), self.b.get(self.i + 1)) {
            (Some(b'\r'), Some(b'\n')) => self.i += 2,
            (Some(b'\r' | b'\n'), _) => self.i += 1,
            _ => return false,
        }
        true
    }

    pub(super) fn peek_is(&mut self, s: &[u8]) -> bool {
        self.skip_ws();
        self.b[self.i.min(self.b.len())..].starts_with(s)
    }

    fn name(&mut self) -> Option<Cow<'a, [u8]>> {
        // At '/'.
        self.i += 1;
        let start = self.i;
        while self
            .b
            .get(self.i)
            .is_some_and(|&c| !is_ws(c) && !is_delim(c))
        {
            self.i += 1;
        }
        let raw = &self.b[start..self.i];
        if !raw.contains(&b'#') {
            return Some(Cow::Borrowed(raw));
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut k = 0;
        while k < raw.len() {
            if raw[k] == b'#' {
                // Two hex digits must follow, as the full reader requires.
                let hex = std::str::from_utf8(raw.get(k + 1..k + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                k += 3;
            } else {
                out.push(raw[k]);
                k += 1;
            }
        }
        Some(Cow::Owned(out))
    }

    fn literal_string(&mut self) -> Option<()> {
        // At '('.
        self.i += 1;
        let mut depth = 1usize;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Steps over one value without building it.
    pub(super) fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match *self.b.get(self.i)? {
            b'<' if self.b.get(self.i + 1) == Some(&b'<') => {
                self.i += 2;
                loop {
                    self.skip_ws();
                    match self.b.get(self.i)? {
                        b'>' if self.b.get(self.i + 1) == Some(&b'>') => {
                            self.i += 2;
                            return Some(());
                        }
                        b'/' => {
                            self.name()?;
                            self.skip(depth + 1)?;
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                loop {
                    self.skip_ws();
                    if *self.b.get(self.i)? == b']' {
                        self.i += 1;
                        return Some(());
                    }
                    self.skip(depth + 1)?;
                }
            }
            // Scalars are cheap to read: reuse the full reader.
            _ => self.value(depth).map(|_| ()),
        }
    }

    pub(super) fn value(&mut self, depth: usize) -> Option<Obj<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let c = *self.b.get(self.i)?;
        match c {
            b'<' if self.b.get(self.i + 1) == Some(&b'<') => {
                self.i += 2;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.b.get(self.i)? {
                        b'>' if self.b.get(self.i + 1) == Some(&b'>') => {
                            self.i += 2;
                            return Some(Obj::Dict(self.b, items));
                        }
                        b'/' => {
                            let key = self.name()?;
                            self.skip_ws();
                            items.push((key, self.i));
                            self.skip(depth + 1)?;
                        }
                        _ => return None,
                    }
                }
            }
            b'<' => {
                let start = self.i;
                let end = self.b[self.i..].iter().position(|&c| c == b'>')?;
                let digits = &self.b[start + 1..start + end];
                if !digits.iter().all(|&c| c.is_ascii_hexdigit() || is_ws(c)) {
                    return None;
                }
                self.i += end + 1;
                Some(Obj::Str(&self.b[start..self.i]))
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if *self.b.get(self.i)? == b']' {
                        self.i += 1;
                        return Some(Obj::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                }
            }
            b'(' => {
                let start = self.i;
                self.literal_string()?;
                Some(Obj::Str(&self.b[start..self.i.min(self.b.len())]))
            }
            b'/' => self.name().map(Obj::Name),
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let start = self.i;
                let w = self.word();
                if w.iter().all(u8::is_ascii_digit) && !w.is_empty() {
                    let n = i64::try_from(digits(w)?).ok()?;
                    // `N G R` is a reference.
                    let save = self.i;
                    if let Some(generation) = self.uint()
                        && self.keyword(b"R")
                        && n >= 0
                        && n <= u32::MAX as i64
                        && generation <= u16::MAX as u64
                    {
                        return Some(Obj::Ref(n as u32));
                    }
                    self.i = save;
                    return Some(Obj::Int(n));
                }
                let text = std::str::from_utf8(w).ok()?;
                if let Ok(n) = text.parse::<i64>() {
                    return Some(Obj::Int(n));
                }
                if text.parse::<f64>().is_err() && !text.ends_with('.') {
                    self.i = start;
                    return None;
                }
                Some(Obj::Real)
            }
            _ => match self.word() {
                b"true" | b"false" => Some(Obj::Bool),
                b"null" => Some(Obj::Null),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_escapes_and_nested_strings() {
        let mut lx = Lexer {
            b: b"<< /Ty#70e /Pa#67e /T (a (nested) \\) string) /K [1 0 R 2 0 R] /N -1.5 >>",
            i: 0,
        };
        let o = lx.value(0).unwrap();
        assert_eq!(o.name_of(b"Type").as_deref(), Some(b"Page".as_slice()));
        assert!(matches!(o.get(b"K"), Some(Obj::Array(a)) if a.len() == 2));
    }
}
