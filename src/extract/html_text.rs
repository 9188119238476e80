//! The readable text of an HTML e-mail body: block elements become line
//! breaks, list items get a dash, links keep their URL in brackets, scripts,
//! styles, the head and comments are dropped, entities are decoded and
//! whitespace is collapsed outside `<pre>`. A small tokenizer, not a
//! browser: mail HTML is tag soup, and this never fails on any input.

/// Elements whose content is never shown.
const HIDDEN: [&str; 5] = ["script", "style", "head", "title", "template"];

/// Elements that start and end a block (a line break before and after).
const BLOCKS: [&str; 24] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "nav",
    "section",
    "table",
    "tr",
];

/// Elements that also leave an empty line around them.
const PARAGRAPHS: [&str; 4] = ["p", "ul", "ol", "pre"];

pub fn html_to_text(html: &str) -> String {
    let mut out = Text::default();
    let mut rest = html;
    // The open links' URLs and the text length when each was opened.
    let mut links: Vec<(String, usize)> = Vec::new();
    while let Some(lt) = rest.find('<') {
        out.text(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(tag) = Tag::parse(rest) else {
            // A `<` that starts no tag is text.
            out.text("<");
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        let name = tag.name.as_str();
        if HIDDEN.contains(&name) && !tag.closing {
            rest = skip_to_close(rest, name);
            continue;
        }
        match name {
            "br" => out.line_break(),
            "hr" => {
                out.block();
                out.push_str("----");
                out.block();
            }
            "li" if !tag.closing => {
                out.block();
                out.push_str("- ");
            }
            "td" | "th" if !tag.closing => out.cell(),
            "pre" => {
                out.paragraph();
                out.pre += if tag.closing { -1 } else { 1 };
            }
            "a" if !tag.closing => links.push((tag.href.clone().unwrap_or_default(), out.len())),
            "a" => {
                if let Some((href, at)) = links.pop() {
                    out.link(&href, at);
                }
            }
            "img" => {
                if let Some(alt) = tag.alt.as_deref().filter(|a| !a.trim().is_empty()) {
                    out.text(&format!("[{alt}]"));
                }
            }
            _ if PARAGRAPHS.contains(&name) => out.paragraph(),
            _ if BLOCKS.contains(&name) || name == "li" => out.block(),
            _ => {}
        }
    }
    out.text(rest);
    out.finish()
}

/// Skips past `</name>` (case-insensitive); the rest of the input if none.
fn skip_to_close<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let close = format!("</{name}");
    match lower.find(&close) {
        Some(at) => {
            let after = &rest[at..];
            after.find('>').map_or("", |end| &after[end + 1..])
        }
        None => "",
    }
}

/// One start or end tag.
struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    alt: Option<String>,
    /// Bytes the tag takes, `<` to `>`.
    len: usize,
}

impl Tag {
    /// Reads a tag at the start of `text` (which starts with `<`).
    fn parse(text: &str) -> Option<Tag> {
        let body = &text[1..];
        let closing = body.starts_with('/');
        let body = body.strip_prefix('/').unwrap_or(body);
        let first = body.chars().next()?;
        if !first.is_ascii_alphabetic() && first != '!' && first != '?' {
            return None;
        }
        // The end: the first `>` outside a quoted attribute value.
        let mut quote = None;
        let mut end = None;
        for (i, c) in body.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end?;
        let inner = &body[..end];
        let name_len = inner
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_len].to_ascii_lowercase();
        let attrs = &inner[name_len..];
        Some(Tag {
            name,
            closing,
            href: attribute(attrs, "href"),
            alt: attribute(attrs, "alt"),
            len: 1 + usize::from(closing) + end + 1,
        })
    }
}

/// The decoded value of attribute `name` in `attrs`.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = attrs[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(raw));
    }
    None
}

/// The text being built, with the whitespace rules applied as it grows.
#[derive(Default)]
struct Text {
    out: String,
    /// Inside how many `<pre>` elements.
    pre: i32,
    /// A space is owed before the next word.
    space: bool,
}

impl Text {
    fn len(&self) -> usize {
        self.out.len()
    }

    fn push_str(&mut self, s: &str) {
        self.out.push_str(s);
        self.space = false;
    }

    fn text(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        if self.pre > 0 {
            self.out.push_str(&decoded);
            return;
        }
        for (i, word) in decoded.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push_str(word);
        }
    }

    fn line_break(&mut self) {
        self.trim_end_spaces();
        self.out.push('\n');
        self.space = false;
    }

    /// Ends the current line, if anything is on it.
    fn block(&mut self) {
        self.trim_end_spaces();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.space = false;
    }

    /// Ends the current line and leaves one empty line.
    fn paragraph(&mut self) {
        self.block();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn cell(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
        self.space = false;
    }

    /// Closes a link opened when the text was `at` long: its URL follows in
    /// brackets unless the text already shows it.
    fn link(&mut self, href: &str, at: usize) {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') || href.starts_with("cid:") {
            return;
        }
        let shown = self.out.get(at..).unwrap_or("").trim();
        let bare = href.strip_prefix("mailto:").unwrap_or(href);
        if shown == href || shown == bare {
            return;
        }
        if shown.is_empty() {
            self.text(bare);
        } else {
            self.out.push_str(&format!(" [{bare}]"));
        }
    }

    fn trim_end_spaces(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
    }

    /// Trailing spaces trimmed per line, at most one empty line in a row.
    fn finish(self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for line in self.out.lines().map(str::trim_end) {
            if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    }
}

/// `&amp;`, `&#8212;`, `&#x2014;` and the named entities mail uses most;
/// an unknown entity stays as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace() || c == '<')
            .map(|i| i + 1);
        let decoded = match end {
            Some(end) if rest.as_bytes()[end] == b';' => {
                entity(&rest[1..end]).map(|c| (c, end + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return Some(
            char::from_u32(code)
                .filter(|c| *c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "hellip" => '\u{2026}',
        "bull" => '\u{2022}',
        "middot" => '\u{00B7}',
        "copy" => '\u{00A9}',
        "reg" => '\u{00AE}',
        "trade" => '\u{2122}',
        "euro" => '\u{20AC}',
        "pound" => '\u{00A3}',
        "sect" => '\u{00A7}',
        "para" => '\u{00B6}',
        "deg" => '\u{00B0}',
        "times" => '\u{00D7}',
        "shy" => '\u{00AD}',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "Ntilde" => 'Ñ',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "agrave" => 'à',
        "iexcl" => '¡',
        "iquest" => '¿',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body>\
                    <script type=\"text/javascript\">alert('x<y')</script><!-- note -->\
                    <h1>Weekly numbers</h1><p>Returns rose.</p></body></html>";
        assert_eq!(html_to_text(html), "Weekly numbers\n\nReturns rose.");
    }

    #[test]
    fn blocks_lists_links_and_entities() {
        let html = "<p>See the <a href=\"https://example.gov/dash\">dashboard</a> &amp; \
                    <a href='mailto:a@example.gov'>a@example.gov</a>.</p>\
                    <ul><li>One</li><li>Two&nbsp;&mdash; &#x263A; &#8212;</li></ul>line<br>break";
        assert_eq!(
            html_to_text(html),
            "See the dashboard [https://example.gov/dash] & a@example.gov.\n\n- One\n- Two \u{2014} \u{263A} \u{2014}\n\nline\nbreak"
        );
    }

    #[test]
    fn whitespace_collapses_except_in_pre() {
        let html = "<div>a   b\n\n c</div><pre>  x\n    y</pre><div>d</div>";
        assert_eq!(html_to_text(html), "a b c\n\n  x\n    y\n\nd");
    }

    #[test]
    fn tables_put_cells_on_one_line_per_row() {
        let html = "<table><tr><td>Port</td><td>Returns</td></tr><tr><td>San Ysidro</td><td>412</td></tr></table>";
        assert_eq!(html_to_text(html), "Port Returns\nSan Ysidro 412");
    }

    #[test]
    fn tag_soup_is_text_not_an_error() {
        assert_eq!(html_to_text("a < b and c<d"), "a < b and c<d");
        assert_eq!(html_to_text("<p>unclosed <b>bold"), "unclosed bold");
        assert_eq!(html_to_text("<script>never closed"), "");
        assert_eq!(html_to_text("x <a href=\"u\">"), "x");
        assert_eq!(html_to_text("&unknown; &amp"), "&unknown; &amp");
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let alphabet = "<>/&;#x\"'= abpscriptyle-!\n\u{e9}\u{4e2d}hrefli";
        let chars: Vec<char> = alphabet.chars().collect();
        for _ in 0..2_000 {
            let mut s = String::new();
            for _ in 0..64 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push(chars[(state % chars.len() as u64) as usize]);
            }
            let _ = html_to_text(&s);
        }
    }
}
