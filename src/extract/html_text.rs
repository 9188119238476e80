//! The readable text of an HTML e-mail part, for rendering an e-mail as
//! pages (SPEC "Emails as pages"): block elements become line breaks (a
//! paragraph is followed by one blank line, never more than one in a row),
//! links keep their URL in brackets, list items get a dash (or their number),
//! scripts, styles, the head and comments are dropped, entities decoded,
//! white space collapsed outside `<pre>`. A small tokenizer written for
//! these rules: it never fails and never panics on any input, and the same
//! HTML always gives the same text.

mod entities;
pub use entities::decode_entities;

/// The text of `html` (see the module comment).
pub fn html_to_text(html: &str) -> String {
    let mut w = Writer::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut in_head = false;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = memchr(b'<', bytes, i).unwrap_or(bytes.len());
            let text = decode_entities(&html[i..end]);
            if in_head {
                if !text.trim().is_empty() {
                    in_head = false;
                    w.text(&text);
                }
            } else {
                w.text(&text);
            }
            i = end;
            continue;
        }
        // bytes[i] == b'<'
        let next = bytes.get(i + 1).copied();
        match next {
            Some(b'!') => {
                i = if html[i..].starts_with("<!--") {
                    find(html, i + 4, "-->").map_or(bytes.len(), |e| e + 3)
                } else {
                    memchr(b'>', bytes, i).map_or(bytes.len(), |e| e + 1)
                };
            }
            Some(b'?') => i = memchr(b'>', bytes, i).map_or(bytes.len(), |e| e + 1),
            Some(c) if c.is_ascii_alphabetic() || c == b'/' => {
                let Some((tag, end)) = parse_tag(html, i) else {
                    // An unfinished tag at the end: nothing more to show.
                    break;
                };
                i = end;
                if tag.name.is_empty() {
                    continue;
                }
                let name = tag.name.as_str();
                if !tag.closing && matches!(name, "script" | "style" | "title") {
                    // Raw text: skipped up to the matching end tag.
                    i = find_end_tag(html, i, name).unwrap_or(bytes.len());
                    continue;
                }
                if name == "head" {
                    in_head = !tag.closing;
                    continue;
                }
                if in_head {
                    if tag.closing || matches!(name, "meta" | "link" | "base") {
                        continue;
                    }
                    in_head = false;
                }
                w.tag(&tag);
            }
            _ => {
                // A `<` that starts no tag is text.
                w.text("<");
                i += 1;
            }
        }
    }
    w.finish()
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

/// The tag starting at `html[at] == '<'`, and the index after its `>`;
/// `None` when no `>` ends it.
fn parse_tag(html: &str, at: usize) -> Option<(Tag, usize)> {
    let b = html.as_bytes();
    let mut i = at + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = html[start..i].to_ascii_lowercase();
    let mut href = None;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let s = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'>' | b'=' | b'/') {
            i += 1;
        }
        let attr = html[s..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let e = memchr(q, b, i + 1)?;
                    value = Some(&html[i + 1..e]);
                    i = e + 1;
                }
                Some(_) => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = Some(&html[s..i]);
                }
                None => return None,
            }
        }
        if attr == "href" && href.is_none() {
            href = value.map(|v| decode_entities(v).trim().to_string());
        }
        if i == s {
            // Not an attribute character: step over it.
            i += 1;
        }
    }
    Some((
        Tag {
            name,
            closing,
            href,
        },
        i,
    ))
}

/// The index after `</name ...>` from `from`, case-insensitive.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let b = html.as_bytes();
    let mut i = from;
    while let Some(lt) = memchr(b'<', b, i) {
        let rest = &b[lt + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
            && rest
                .get(name.len() + 1)
                .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
        {
            return Some(memchr(b'>', b, lt).map_or(b.len(), |e| e + 1));
        }
        i = lt + 1;
    }
    None
}

fn memchr(needle: u8, hay: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|c| *c == needle)
        .map(|p| p + from)
}

fn find(s: &str, from: usize, needle: &str) -> Option<usize> {
    s.get(from..)?.find(needle).map(|p| p + from)
}

/// Elements followed and preceded by a blank line.
const PARAGRAPH: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "hr",
    "address",
    "figure",
];
/// Elements on lines of their own.
const LINE: &[&str] = &[
    "div",
    "li",
    "tr",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "form",
    "fieldset",
    "legend",
    "caption",
    "center",
    "details",
    "summary",
    "thead",
    "tbody",
    "tfoot",
    "body",
    "html",
    "figcaption",
    "option",
];

#[derive(Default)]
struct Writer {
    out: String,
    /// Line breaks owed before the next text (2: a blank line).
    breaks: u8,
    space: bool,
    pre: usize,
    /// A list marker was just written: block breaks before the item's
    /// text (`<li><p>…`) keep it on the marker's line.
    marker: bool,
    /// Open lists: (ordered, items so far).
    lists: Vec<(bool, u32)>,
    /// Open links: (href, where their text starts in `out`).
    links: Vec<(String, usize)>,
}

impl Writer {
    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            for line in split_keep(text) {
                match line {
                    Piece::Newline => {
                        self.flush_breaks();
                        self.out.push('\n');
                    }
                    Piece::Text(t) => {
                        self.flush_breaks();
                        self.marker = false;
                        self.out.push_str(&t.replace('\r', ""));
                    }
                }
            }
            return;
        }
        for c in text.chars() {
            if is_space(c) {
                self.space = true;
            } else {
                self.flush_breaks();
                if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push(' ');
                }
                self.space = false;
                self.marker = false;
                self.out.push(c);
            }
        }
    }

    fn flush_breaks(&mut self) {
        if self.breaks > 0 && !self.out.is_empty() {
            let trailing = self.out.len() - self.out.trim_end_matches('\n').len();
            for _ in trailing..usize::from(self.breaks) {
                self.out.push('\n');
            }
            self.space = false;
        }
        self.breaks = 0;
    }

    fn block(&mut self, breaks: u8) {
        if self.marker {
            return;
        }
        self.breaks = self.breaks.max(breaks);
        self.space = false;
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        if matches!(name, "li" | "ul" | "ol") {
            self.marker = false;
        }
        match name {
            "br" => {
                if self.out.is_empty() {
                    return;
                }
                // A hard break: a second one in a row leaves a blank line.
                let trailing = self.out.len() - self.out.trim_end_matches('\n').len();
                self.breaks = (self.breaks.max(trailing as u8) + 1).min(2);
                self.space = false;
                if trailing > 0 {
                    // Breaks already written count; owe only the extra one.
                    self.flush_breaks();
                }
                return;
            }
            "a" => {
                if tag.closing {
                    self.close_link();
                } else {
                    // An `<a>` inside an open one closes it first.
                    self.close_link();
                    if let Some(href) = &tag.href {
                        self.flush_breaks();
                        if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
                            self.out.push(' ');
                            self.space = false;
                        }
                        self.links.push((href.clone(), self.out.len()));
                    }
                }
                return;
            }
            "td" | "th" => {
                self.space = true;
                return;
            }
            "img" => return,
            _ => {}
        }
        if name == "ul" || name == "ol" {
            // Nested lists are lines inside the item, not paragraphs.
            let nested = if tag.closing {
                self.lists.pop();
                !self.lists.is_empty()
            } else {
                self.lists.push((name == "ol", 0));
                self.lists.len() > 1
            };
            self.block(if nested { 1 } else { 2 });
            return;
        }
        if name == "pre" {
            if tag.closing {
                self.pre = self.pre.saturating_sub(1);
            } else {
                self.pre += 1;
            }
        }
        if PARAGRAPH.contains(&name) {
            self.block(2);
        } else if LINE.contains(&name) {
            self.block(1);
        } else {
            return;
        }
        if name == "li" && !tag.closing {
            if self.lists.last().is_some_and(|(_, n)| *n > 0) {
                // Items of one list on consecutive lines, even when a
                // paragraph inside the last one asked for a blank line.
                self.breaks = self.breaks.min(1);
            }
            self.flush_breaks();
            let depth = self.lists.len().max(1);
            let marker = match self.lists.last_mut() {
                Some((ordered, n)) => {
                    *n += 1;
                    if *ordered {
                        format!("{n}. ")
                    } else {
                        "- ".to_string()
                    }
                }
                None => "- ".to_string(),
            };
            self.out.push_str(&"  ".repeat(depth - 1));
            self.out.push_str(&marker);
            self.space = false;
            self.marker = true;
        }
    }

    fn close_link(&mut self) {
        let Some((href, start)) = self.links.pop() else {
            return;
        };
        let shown = self.out.get(start..).unwrap_or("").trim();
        let bare = href.strip_prefix("mailto:").unwrap_or(&href);
        if href.is_empty()
            || href.starts_with('#')
            || href.to_ascii_lowercase().starts_with("javascript:")
            || shown == href
            || shown == bare
        {
            return;
        }
        let spaced = self.space && !self.out.is_empty() && !self.out.ends_with('\n');
        if !shown.is_empty() || spaced {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push('[');
        self.out.push_str(&href);
        self.out.push(']');
    }

    fn finish(mut self) -> String {
        while !self.links.is_empty() {
            self.close_link();
        }
        // Trailing spaces off every line, at most one blank line in a row,
        // nothing blank at either end.
        let mut out = String::with_capacity(self.out.len());
        let mut blank = 0;
        for line in self.out.split('\n') {
            let line = line.trim_end();
            if line.is_empty() {
                blank += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank > 0 { "\n\n" } else { "\n" });
            }
            blank = 0;
            out.push_str(line);
        }
        out
    }
}

enum Piece<'a> {
    Newline,
    Text(&'a str),
}

fn split_keep(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (n, part) in text.split('\n').enumerate() {
        if n > 0 {
            out.push(Piece::Newline);
        }
        if !part.is_empty() {
            out.push(Piece::Text(part));
        }
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_head_and_comments_are_dropped() {
        let html = "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>\
            <script>var x = '<p>no</p>';</script></head><body><!-- hidden <p>x</p> -->\
            <p>Hello <b>world</b></p><SCRIPT type=x>alert(1)</SCRIPT ><p>Bye</p></body></html>";
        assert_eq!(html_to_text(html), "Hello world\n\nBye");
    }

    #[test]
    fn links_keep_their_url() {
        let html = r##"See <a href="https://example.gov/a?b=1&amp;c=2">the docket</a>, or
            <a href='https://x.org'>https://x.org</a> and <a href="mailto:j@x.org">j@x.org</a>
            <a href="#top">top</a> <a href=https://y.org/><img src=logo.png></a>."##;
        assert_eq!(
            html_to_text(html),
            "See the docket [https://example.gov/a?b=1&c=2], or https://x.org and j@x.org top [https://y.org/]."
        );
    }

    #[test]
    fn blocks_lists_and_breaks() {
        let html = "<div>One</div><div>Two<br>Three<br><br><br>Four</div>\
            <ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol><li>x<li>y</ol>\
            <h1>Head</h1><p>\n  spaced   out\ttext  </p><p>&nbsp;</p><p>&nbsp;</p><p>end</p>";
        assert_eq!(
            html_to_text(html),
            "One\nTwo\nThree\n\nFour\n\n- a\n- b\n  - c\n\n1. x\n2. y\n\nHead\n\nspaced out text\n\nend"
        );
    }

    #[test]
    fn entities_are_decoded() {
        let html = "&lt;a&gt; &amp; &quot;q&quot; &eacute;&Eacute; &#233;&#x E9;&#xe9; &#150; &mdash; \
            &copy &bogus; &amp &#0; &#99999999999; &hellip;";
        assert_eq!(
            html_to_text(html),
            "<a> & \"q\" éÉ é&#x E9;é \u{2013} \u{2014} © &bogus; & \u{FFFD} \u{FFFD} \u{2026}"
        );
    }

    #[test]
    fn nested_tables_and_pre() {
        let html = "<table><tr><td>Name</td><td>Value</td></tr><tr><td><table><tr><td>in</td>\
            <td>ner</td></tr></table></td><td>x</td></tr></table>\
            <pre>  keep   this\n    indented</pre>after";
        assert_eq!(
            html_to_text(html),
            "Name Value\n\nin ner\n\nx\n\n  keep   this\n    indented\n\nafter"
        );
    }

    #[test]
    fn malformed_html_is_read_as_far_as_it_goes() {
        assert_eq!(html_to_text("a < b and c<d"), "a < b and c");
        assert_eq!(html_to_text("<p>open <b>bold <i>it"), "open bold it");
        assert_eq!(html_to_text("x <div class=\"unterminated"), "x");
        assert_eq!(html_to_text("x <!-- never closed"), "x");
        assert_eq!(html_to_text("<script>never closed"), "");
        assert_eq!(html_to_text("<head><p>no body tag"), "no body tag");
        assert_eq!(html_to_text("1 <3 you </> <a href=>x</a>"), "1 <3 you x");
        assert_eq!(html_to_text("<<p>>"), "<\n\n>");
        assert_eq!(
            html_to_text("<ul><li><p>one</p></li><li><div>two</div></li></ul>"),
            "- one\n- two"
        );
        assert_eq!(
            html_to_text("<ul><li><li><p>x</p><li></ul><p>after</p>"),
            "-\n- x\n-\n\nafter"
        );
        assert_eq!(
            html_to_text("Привет, <b>мир</b> — ελληνικά 报告"),
            "Привет, мир — ελληνικά 报告"
        );
    }

    #[test]
    fn random_input_never_panics_and_is_deterministic() {
        // A small xorshift generator: the same bytes on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces = [
            "<", ">", "</", "<a href=", "\"", "'", "&", "&#", "&#x", ";", "<p>", "<li>", "<pre>",
            "</pre>", "<script>", "</script", "<!--", "-->", "<br/>", "é", "报", " ", "\n", "x",
            "<ul>", "</ul>", "</a>", "<head>", "=",
        ];
        for _ in 0..3000 {
            let len = (next() % 60) as usize;
            let mut s = String::new();
            for _ in 0..len {
                let r = next();
                if r % 3 == 0 {
                    let bytes: Vec<u8> = (0..(r % 7)).map(|_| next() as u8).collect();
                    s.push_str(&String::from_utf8_lossy(&bytes));
                } else {
                    s.push_str(pieces[(r as usize / 3) % pieces.len()]);
                }
            }
            let a = html_to_text(&s);
            assert_eq!(a, html_to_text(&s));
            assert!(!a.contains("\n\n\n"), "{s:?} -> {a:?}");
        }
    }
}
